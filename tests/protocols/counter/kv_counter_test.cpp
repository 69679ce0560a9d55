// Read-modify-write on the Raft-replicated kv store: the CAS loop and version-checked writes hold
// under the nemesis over many seeds; get then put and a blind writer lose acknowledged updates in
// their hand-timed scenarios (which the correct variants pass) and under the nemesis within a
// stated budget; bad parameters are one line.
#include <doctest/doctest.h>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::run {
namespace {

Scenario scenario(const std::string& name, const std::vector<std::string>& settings = {}) {
  return load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/counter/" + name + ".json",
                       settings);
}

std::string message_of(const RunOutcome& outcome, const std::string& checker) {
  for (const auto& v : outcome.violations) {
    if (v.checker == checker) return v.message;
  }
  return "";
}

void check_passes(const Scenario& s, uint64_t seeds) {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    RunOutcome outcome = run_scenario(s, RunOptions{.seed = seed});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

}  // namespace

TEST_CASE("kv-counter cas-loop: linearizable, exact and live under the nemesis, seeds 1-30") {
  check_passes(scenario("kv-cas-loop-nemesis"), 30);
}

TEST_CASE("optimistic-lock version-checked: linearizable and complete under the nemesis, 1-15") {
  check_passes(scenario("optimistic-lock-nemesis"), 15);
}

TEST_CASE("kv-counter: get then put loses increments that read the same value") {
  RunOutcome outcome = run_scenario(scenario("kv-get-then-put"), RunOptions{.seed = 1});
  INFO(verdict(outcome));
  const std::string lost = message_of(outcome, "final-value");
  CHECK(lost.find("lost; increments that read the same value and "
                  "wrote the same: client1/0.1 and client2/1.1 (both read 0 and wrote 1)") !=
        std::string::npos);
  CHECK(!message_of(outcome, "linearizable").empty());
  check_passes(scenario("kv-get-then-put", {"variant=cas-loop"}), 5);
}

TEST_CASE("optimistic-lock: a writer that does not check the version overwrites an update") {
  RunOutcome outcome =
      run_scenario(scenario("optimistic-lock-blind-writer"), RunOptions{.seed = 1});
  INFO(verdict(outcome));
  const std::string lost = message_of(outcome, "final-value");
  CHECK(lost.find("acknowledged updates are not counted: client2/1.1 (acknowledged by the "
                  "store at") != std::string::npos);
  CHECK(!message_of(outcome, "linearizable").empty());
  check_passes(scenario("optimistic-lock-blind-writer", {"variant=version-checked"}), 5);
}

TEST_CASE("kv-counter, optimistic-lock: the nemesis finds each known bug within 3 seeds") {
  for (const char* checker : {"final-value", "linearizable"}) {
    CAPTURE(checker);
    CHECK(first_seed_finding(scenario("kv-cas-loop-nemesis", {"variant=get-then-put"}), checker, 1,
                             3) != 0);
    CHECK(first_seed_finding(scenario("optimistic-lock-nemesis", {"variant=blind-writer"}), checker,
                             1, 3) != 0);
  }
}

TEST_CASE("kv-counter, optimistic-lock: bad parameters are one-line errors") {
  const nlohmann::json counter = {{"protocol", "kv-counter"}, {"duration", "1s"}};
  CHECK(scenario_error(counter, {"params.servers=16"}) ==
        "bad.json: params.servers: expected an integer from 1 to 15, got 16");
  CHECK(scenario_error(counter).empty());
  const nlohmann::json row = {{"protocol", "optimistic-lock"}, {"duration", "1s"}};
  CHECK(scenario_error(row, {"params.clients=0"}) ==
        "bad.json: params.clients: expected an integer from 1 to 100, got 0");
  CHECK(scenario_error(row).empty());
}

}  // namespace faultline::run
