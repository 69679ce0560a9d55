// The hand-timed bug scenarios of scenarios/saga, run with the correct variant instead: the same
// faults at the same times, and the mechanism the bug removed (request ids, tombstones, the saga
// log, the semantic lock, idempotent consumers) keeps every invariant.
#include <doctest/doctest.h>

#include <string>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"

namespace faultline::protocols::saga {
namespace {

run::RunOutcome run_as(const std::string& name, const std::string& variant) {
  return run::run_scenario(
      run::load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/saga/" + name + ".json",
                         {"variant=" + variant}),
      run::RunOptions{});
}

}  // namespace

TEST_CASE("saga bug scenarios pass with the correct variant under the same faults") {
  const std::pair<const char*, const char*> cases[] = {
      {"non-idempotent-retry", "orchestrated"},
      {"compensation-overtakes-step", "orchestrated"},
      {"unlogged-orchestrator-crash", "orchestrated"},
      {"dirty-read-between-sagas", "orchestrated"},
      {"choreography-duplicate-delivery", "choreographed"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    run::RunOutcome outcome = run_as(c.first, c.second);
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

TEST_CASE("a restarted orchestrator resumes its unfinished saga from the log, not a new one") {
  run::RunOutcome outcome = run_as("unlogged-orchestrator-crash", "orchestrated");
  CHECK(outcome.violations.empty());
  CHECK(outcome.figures["sagas_begun"] == 1);
  CHECK(outcome.figures["sagas_done"] == 1);
  // Without the log the same crash leaves the first saga's reservations standing and books the
  // trip again.
  run::RunOutcome unlogged = run_as("unlogged-orchestrator-crash", "unlogged-orchestrator");
  CHECK(unlogged.figures["sagas_begun"] == 2);
  REQUIRE(!unlogged.violations.empty());
  CHECK(unlogged.violations[0].checker == "saga");
}

TEST_CASE("the semantic lock declines the dirty read instead of letting the balance go negative") {
  run::RunOutcome outcome = run_as("dirty-read-between-sagas", "orchestrated");
  CHECK(outcome.violations.empty());
  CHECK(outcome.figures["sagas_done"] == 0);
  CHECK(outcome.figures["sagas_compensated"] == 2);
  run::RunOutcome dirty = run_as("dirty-read-between-sagas", "dirty-read");
  REQUIRE(!dirty.violations.empty());
  CHECK(dirty.violations[0].checker == "balance-never-negative");
  CHECK(dirty.violations[0].message.find("balance of c1 became -100") == 0);
}

}  // namespace faultline::protocols::saga
