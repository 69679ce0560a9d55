// Shrinking a violating schedule of an untimed world (run/schedule_shrink): what PCT finds, or a
// schedule with steps to spare, is cut down to the steps the bug needs, the same checker still
// breaks, and the shrunk path runs again to that violation.
#include <doctest/doctest.h>

#include <algorithm>

#include "run/pct_search.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/schedule_shrink.hpp"
#include "run/world_search.hpp"
#include "tests/run/twopc_search_scenario.hpp"

namespace faultline::run {

namespace {

Scenario twopc_search(const std::string& variant, nlohmann::json search) {
  return twopc_search_scenario(variant, std::move(search), {"atomic-commit"});
}

// The shrunk schedule, run as `faultline` runs a counterexample, breaks the same checker.
void check_runs_to(const Scenario& s, const WorldSearchFinding& v, uint64_t seed) {
  RunOptions steered;
  steered.seed = seed;
  steered.untimed_steps = v.steps;
  steered.steer = v.path;
  const RunOutcome outcome = run_scenario(s, steered);
  REQUIRE(outcome.violations.size() == 1);
  CHECK(outcome.violations[0].checker == v.checker);
  CHECK(world_story(s, v.path, v.steps, seed) == v.story);
}

}  // namespace

TEST_CASE("PCT's counterexample for coordinator-vote-only shrinks to the shortest schedule") {
  Scenario s = twopc_search("coordinator-vote-only", {{"strategy", "pct"}, {"timers", 1}});
  PctOptions options;
  options.last_seed = 50;
  const PctResult r = pct_search(s, options);
  REQUIRE(r.violation.has_value());
  REQUIRE(r.failing_seed.has_value());
  const WorldSearchFinding& v = *r.violation;
  CHECK(v.checker == "atomic-commit");
  // Breadth-first search proves 2 steps the shortest (world_search_test): the shrinker gets there.
  CHECK(v.steps == 2);
  CHECK(v.shrunk_from > 2);
  CHECK(v.story == std::vector<std::string>{"deliver BeginTransaction client -> coordinator",
                                            "timer 0 of coordinator"});
  check_runs_to(s, v, *r.failing_seed);
}

TEST_CASE("a schedule padded with steps decision-not-logged does not need is cut back to them") {
  Scenario s = twopc_search("decision-not-logged", {{"strategy", "dfs"},
                                                    {"crashes", 1},
                                                    {"targets", {"coordinator"}},
                                                    {"timers", 1},
                                                    {"max_depth", 10}});
  // The 10 steps depth-first search finds (breadth-first search proves none shorter), with steps
  // around them that change nothing the bug needs, or that never become possible at all.
  const std::vector<std::string> bug = {"timer 0 of client",
                                        "deliver BeginTransaction client -> coordinator",
                                        "deliver Prepare coordinator -> p2",
                                        "deliver Vote p2 -> coordinator",
                                        "deliver Prepare coordinator -> p1",
                                        "deliver Vote p1 -> coordinator",
                                        "crash coordinator",
                                        "restart coordinator",
                                        "deliver BeginTransaction client -> coordinator",
                                        "timer 0 of coordinator"};
  WorldSearchFinding padded;
  padded.checker = "atomic-commit";
  padded.story = {"deliver Nothing nobody -> nowhere"};
  for (size_t i = 0; i < bug.size(); ++i) {
    padded.story.push_back(bug[i]);
    if (i == 1) padded.story.push_back("crash p9");
    if (i == 5) padded.story.push_back("deliver Vote p1 -> coordinator");
  }
  padded.steps = padded.story.size();
  const WorldSearchFinding v = shrink_schedule(s, padded, 1);
  CHECK(v.checker == "atomic-commit");
  CHECK(v.steps == 10);
  CHECK(v.shrunk_from == padded.steps);
  CHECK(v.story == bug);
  check_runs_to(s, v, 1);
}

TEST_CASE("a schedule that is already as short as it gets comes back as it is") {
  Scenario s = twopc_search("coordinator-vote-only", {{"timers", 1}, {"max_depth", 4}});
  const WorldSearchResult r = search_world(s, *s.search, 1);  // breadth-first: shortest
  REQUIRE(r.violation.has_value());
  const WorldSearchFinding again = shrink_schedule(s, *r.violation, 1);
  CHECK(again.steps == r.violation->steps);
  CHECK(again.shrunk_from == 0);
  CHECK(again.path == r.violation->path);
  CHECK(again.story == r.violation->story);
}

}  // namespace faultline::run
