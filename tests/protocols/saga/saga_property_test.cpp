// Property tests of the saga family: the correct orchestrated and choreographed sagas keep every
// invariant under the seeded nemesis (crashes and restarts, pauses, partitions, clock jumps and
// drift, loss bursts, loss and duplication) over a seed range; each bug variant is found by the
// random nemesis within a stated seed budget, not only by its hand-timed catalog scenario. A
// failure prints the seed: `faultline run <scenario> --seed N`.
#include <doctest/doctest.h>

#include <string>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"

namespace faultline::protocols::saga {
namespace {

std::string catalog(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/saga/" + name;
}

void check_safe(const run::Scenario& scenario, uint64_t first, uint64_t last) {
  for (uint64_t seed = first; seed <= last; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    INFO("seed " << seed << ": " << verdict(outcome));
    REQUIRE(outcome.violations.empty());
    // Not vacuous: sagas ran, and some of them had to be compensated.
    REQUIRE(outcome.figures.value("compensations", int64_t{0}) > 0);
  }
}

// The correct scenario's nemesis and network, run as a bug variant, without its hand-timed
// faults: only the random nemesis finds the bug.
run::Scenario nemesis_with(const std::string& file, const std::string& variant,
                           std::vector<std::string> overrides = {}) {
  overrides.push_back("variant=" + variant);
  overrides.push_back("faults=[]");
  return run::load_scenario(catalog(file), overrides);
}

}  // namespace

TEST_CASE("saga orchestrated: every invariant holds under the full nemesis, seeds 1-100") {
  check_safe(run::load_scenario(catalog("trip-booking-faults.json")), 1, 100);
}

TEST_CASE("saga choreographed: every invariant holds under the full nemesis, seeds 1-100") {
  check_safe(run::load_scenario(catalog("choreography-faults.json")), 1, 100);
}

TEST_CASE("saga orchestrated: tombstones absorb overtaking compensations, seeds 1-100") {
  // One attempt per step and a timeout inside the latency tail: the same stress under which
  // no-tombstones breaks (below).
  check_safe(run::load_scenario(catalog("trip-booking-faults.json"),
                                {"params.step_attempts=1", "params.call_timeout=8ms"}),
             1, 100);
}

TEST_CASE("saga non-idempotent-retry: the nemesis finds a double charge within 5 seeds") {
  CHECK(run::first_seed_finding(nemesis_with("trip-booking-faults.json", "non-idempotent-retry"),
                                "charge-once", 1, 5) != 0);
}

TEST_CASE("saga no-tombstones: the nemesis finds a step applied after its compensation, 5 seeds") {
  // One attempt per step and a timeout inside the latency tail: overtaking cancels are common.
  CHECK(run::first_seed_finding(nemesis_with("trip-booking-faults.json", "no-tombstones",
                                             {"params.step_attempts=1", "params.call_timeout=8ms"}),
                                "saga", 1, 5) != 0);
}

TEST_CASE("saga unlogged-orchestrator: the nemesis finds a saga never compensated, 5 seeds") {
  CHECK(run::first_seed_finding(nemesis_with("trip-booking-faults.json", "unlogged-orchestrator"),
                                "saga", 1, 5) != 0);
}

TEST_CASE("saga dirty-read: the nemesis finds a negative balance within 5 seeds") {
  // One customer who can only pay with the other orchestrator's credits, and few cars.
  CHECK(run::first_seed_finding(nemesis_with("trip-booking-faults.json", "dirty-read",
                                             {"params.customers=1", "params.balance=0",
                                              "params.voucher=[100, 0]", "params.cars=5"}),
                                "balance-never-negative", 1, 5) != 0);
}

TEST_CASE("saga non-idempotent-consumer: the nemesis finds a double charge within 5 seeds") {
  CHECK(run::first_seed_finding(nemesis_with("choreography-faults.json", "non-idempotent-consumer"),
                                "charge-once", 1, 5) != 0);
}

}  // namespace faultline::protocols::saga

namespace faultline::protocols::saga {

TEST_CASE("saga: the lost-answer fault site finds the non-idempotent charge on a quiet network") {
  // No fault from outside at all (no nemesis, no loss, no duplication): only the fault site that
  // loses a step's answer after applying it makes the orchestrator retry the charge.
  run::Scenario s = run::load_scenario(
      catalog("trip-booking-faults.json"),
      {"variant=non-idempotent-retry", "faults=[]", "network.loss=0", "network.duplicate=0"});
  s.nemesis.reset();
  CHECK(run::first_seed_finding(s, "charge-once", 1, 20) == 0);
  s.buggify = true;
  CHECK(run::first_seed_finding(s, "charge-once", 1, 20) != 0);
  // The idempotent payment service answers every retry from its ledger.
  s.variant = "orchestrated";
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    run::RunOutcome outcome = run::run_scenario(s, run::RunOptions{.seed = seed});
    INFO("seed " << seed << " (orchestrated, buggify): " << verdict(outcome));
    REQUIRE(outcome.violations.empty());
  }
}

TEST_CASE("saga: a charge applied twice is reported as charge-once, not as a half-done saga") {
  run::RunOutcome outcome = run::run_scenario(
      run::load_scenario(catalog("non-idempotent-retry.json")), run::RunOptions{});
  INFO(verdict(outcome));
  CHECK(breaks(outcome, "charge-once"));
  CHECK_FALSE(breaks(outcome, "saga"));
}

}  // namespace faultline::protocols::saga
