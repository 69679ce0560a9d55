// Compare-and-set through the replicated kv service: correct Raft under the seeded nemesis of
// scenarios/raft/nemesis.json, with a share of the clients' operations turned into cas, leaves a
// linearizable history (kv model with cas) seed after seed.
#include <doctest/doctest.h>

#include <string>

#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::protocols::kv {

TEST_CASE("correct raft with cas under the nemesis, seeds 1-25: a linearizable history") {
  run::Scenario scenario = run::load_scenario(
      std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/nemesis.json",
      {"params.cas_percent=30", "params.append_percent=10", "params.read_percent=30"});
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    std::string verdict;
    for (const auto& v : outcome.violations) verdict += v.checker + ": " + v.message + "\n";
    INFO(
        "faultline run scenarios/raft/nemesis.json --set params.cas_percent=30 "
        "--set params.append_percent=10 --set params.read_percent=30 --seed "
        << seed);
    INFO(verdict);
    REQUIRE(outcome.violations.empty());
    CHECK(outcome.figures["operations_ok"].get<int64_t>() > 100);
  }
}

}  // namespace faultline::protocols::kv
