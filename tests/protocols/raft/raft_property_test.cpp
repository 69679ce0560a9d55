// Property tests for Raft and its kv service: the correct variant under the seeded nemesis of
// scenarios/raft/nemesis.json breaks no invariant and leaves a linearizable history, seed after
// seed; each known-bug variant is found by the same random nemesis within a stated seed budget.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"

namespace faultline::protocols::raft {
namespace {

run::Scenario nemesis_scenario(const std::vector<std::string>& overrides = {}) {
  return run::load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/nemesis.json",
                            overrides);
}

}  // namespace

TEST_CASE("correct raft under the nemesis, seeds 1-100: no invariant breaks, linearizable, live") {
  run::Scenario scenario = nemesis_scenario();
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    INFO("faultline run scenarios/raft/nemesis.json --seed " << seed);
    INFO(verdict(outcome));
    REQUIRE(outcome.violations.empty());
    CHECK(outcome.figures["operations_ok"].get<int64_t>() > 100);
  }
}

TEST_CASE(
    "local-reads serves a stale read in the stale-read partition at every seed 1-5; "
    "correct never does") {
  const std::string file = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/stale-read.json";
  run::Scenario buggy = run::load_scenario(file);
  run::Scenario correct = run::load_scenario(file, {"variant=correct"});
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("faultline run scenarios/raft/stale-read.json --seed " << seed);
    CHECK(first_seed_finding(buggy, "linearizable", seed, 1) == seed);
    run::RunOutcome outcome = run::run_scenario(correct, run::RunOptions{.seed = seed});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

TEST_CASE("stale-read's linearizable finding carries the picture of the clients' history") {
  const std::string file = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/stale-read.json";
  run::RunOutcome outcome = run::run_scenario(run::load_scenario(file), run::RunOptions{.seed = 1});
  REQUIRE(!outcome.violations.empty());
  const std::string& html = outcome.violations.front().figure_html;
  CHECK(outcome.violations.front().checker == "linearizable");
  // One row per client by its node's name, on the run's true time, the stale read marked.
  CHECK(html.find("<div class=\"linpic\" id=\"linearizability\">") == 0);
  CHECK(html.find(">client1</text>") != std::string::npos);
  CHECK(html.find(">client2</text>") != std::string::npos);
  CHECK(html.find("data-timed=\"1\"") != std::string::npos);
  CHECK(html.find(" broken\" id=\"linearizability-op-") != std::string::npos);
  CHECK(html.find("<div class=\"state\">&rarr; ") != std::string::npos);
}

TEST_CASE(
    "figure 8's timeline: commit-old-term overwrites a committed entry within seeds 1-4; "
    "correct holds at seeds 1-4") {
  const std::string file = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/figure8.json";
  uint64_t seed = first_seed_finding(run::load_scenario(file), "state-machine-safety", 1, 4);
  MESSAGE("commit-old-term found at seed " << seed);
  CHECK(seed != 0);
  run::Scenario correct = run::load_scenario(std::string(FAULTLINE_SOURCE_DIR) +
                                             "/scenarios/raft/figure8-correct.json");
  for (uint64_t s = 1; s <= 4; ++s) {
    INFO("faultline run scenarios/raft/figure8-correct.json --seed " << s);
    run::RunOutcome outcome = run::run_scenario(correct, run::RunOptions{.seed = s});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

TEST_CASE(
    "a forgotten vote elects two leaders in one term within seeds 1-3; "
    "correct holds at seeds 1-4") {
  const std::string dir = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/";
  uint64_t seed = first_seed_finding(run::load_scenario(dir + "vote-not-persisted.json"),
                                     "election-safety", 1, 3);
  MESSAGE("volatile-vote found at seed " << seed);
  CHECK(seed != 0);
  run::Scenario correct = run::load_scenario(dir + "vote-not-persisted-correct.json");
  for (uint64_t s = 1; s <= 4; ++s) {
    INFO("faultline run scenarios/raft/vote-not-persisted-correct.json --seed " << s);
    run::RunOutcome outcome = run::run_scenario(correct, run::RunOptions{.seed = s});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

}  // namespace faultline::protocols::raft
