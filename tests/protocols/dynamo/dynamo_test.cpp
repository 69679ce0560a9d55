// The Dynamo-style store: the versioned quorum register holds under the nemesis over many seeds;
// each known bug, and R + W <= N, is found within a stated budget; bad parameters are one line.
#include <doctest/doctest.h>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::run {
namespace {

Scenario dynamo(const std::string& name, const std::vector<std::string>& settings = {}) {
  return load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/dynamo/" + name + ".json",
                       settings);
}

}  // namespace

TEST_CASE("dynamo correct: linearizable and live under every fault, seeds 1-40") {
  const Scenario scenario = dynamo("nemesis");
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

TEST_CASE("dynamo: R + W > N holds without faults; R = W = 1 reads stale within 20 seeds") {
  const Scenario strict = dynamo("strict-quorum");
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    CHECK(run_scenario(strict, RunOptions{.seed = seed}).violations.empty());
  }
  CHECK(first_seed_finding(dynamo("weak-quorum"), "linearizable", 1, 20) != 0);
}

TEST_CASE("dynamo: the nemesis finds each known bug within its budget") {
  CHECK(first_seed_finding(dynamo("no-read-repair-nemesis"), "linearizable", 1, 40) != 0);
  CHECK(first_seed_finding(dynamo("wall-clock-skew"), "linearizable", 1, 10) != 0);
  CHECK(first_seed_finding(dynamo("sloppy-quorum-partition"), "linearizable", 1, 10) != 0);
  CHECK(first_seed_finding(dynamo("retried-puts"), "linearizable", 1, 10) != 0);
}

TEST_CASE("dynamo: the same faults leave the correct variant linearizable") {
  for (const char* name :
       {"no-read-repair-nemesis", "wall-clock-skew", "sloppy-quorum-partition"}) {
    CAPTURE(name);
    const Scenario fixed = dynamo(name, {"variant=correct"});
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      CAPTURE(seed);
      RunOutcome outcome = run_scenario(fixed, RunOptions{.seed = seed});
      INFO(verdict(outcome));
      CHECK(outcome.violations.empty());
    }
  }
}

TEST_CASE("dynamo: impossible quorums and unsupported operations are one-line errors") {
  const nlohmann::json document = {{"protocol", "dynamo"}, {"duration", "1s"}};
  CHECK(scenario_error(document, {"params.read_quorum=4"}) ==
        "bad.json: params.read_quorum: expected an integer from 1 to 3, got 4");
  CHECK(scenario_error(document, {"params.replicas=6"}) ==
        "bad.json: params.replicas: expected an integer from 1 to 5, got 6");
  CHECK(scenario_error(document, {"params.append_percent=10"}) ==
        "bad.json: params.append_percent: expected 0: a Dynamo store serves gets and puts only, "
        "got 10");
  CHECK(scenario_error(document).empty());
}

}  // namespace faultline::run
