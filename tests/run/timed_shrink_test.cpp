// Shrinking a timed counterexample (run::shrink_timed_path): the first schedule a depth-first
// timed search meets comes out no longer than found, often as short as breadth-first search
// proves possible, breaking the same checker, and replays to the same violation.
#include <doctest/doctest.h>

#include <string>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/timed_search.hpp"

namespace faultline::run {

namespace {

Scenario timed_scenario(const std::string& name) {
  return load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/" + name + ".json");
}

WorldSearchResult depth_first(const Scenario& s) {
  SearchSpec dfs = *s.search;
  dfs.strategy = "dfs";
  return search_timed(s, dfs, s.seed);
}

}  // namespace

TEST_CASE("a depth-first timed counterexample is shrunk to breadth-first's length: lease lock") {
  const Scenario s = timed_scenario("lease-unfenced-timed");
  const WorldSearchResult bfs = search_timed(s, *s.search, s.seed);
  const WorldSearchResult dfs = depth_first(s);
  REQUIRE(bfs.violation.has_value());
  REQUIRE(dfs.violation.has_value());
  CHECK(dfs.violation->checker == "fenced-mutual-exclusion");
  // Found as 35 instants, a pause injected before client1's Acquire has been answered; the
  // pause moved to after its Read makes it 34, the shortest.
  CHECK(dfs.violation->shrunk_from == 35);
  CHECK(dfs.violation->steps == bfs.violation->steps);
  CHECK(dfs.violation->story.size() == dfs.violation->steps);

  SUBCASE("the shrunk path, run as a counterexample, breaks the same checker at its last step") {
    RunOptions options;
    options.seed = s.seed;
    options.steer = dfs.violation->path;
    options.timed_steps = dfs.violation->steps;
    const RunOutcome run = run_scenario(s, options);
    REQUIRE_FALSE(run.violations.empty());
    CHECK(run.violations.front().checker == "fenced-mutual-exclusion");
    CHECK(run.violations.front().message == dfs.violation->message);
  }
}

TEST_CASE("a depth-first timed counterexample is shrunk: plain 3PC under a partition") {
  const Scenario s = timed_scenario("threepc-plain-partition-timed");
  const WorldSearchResult bfs = search_timed(s, *s.search, s.seed);
  const WorldSearchResult dfs = depth_first(s);
  REQUIRE(bfs.violation.has_value());
  REQUIRE(dfs.violation.has_value());
  CHECK(dfs.violation->checker == "atomic-commit");
  CHECK(dfs.violation->shrunk_from == 19);
  CHECK(dfs.violation->steps < 19);
  CHECK(dfs.violation->steps >= bfs.violation->steps);
}

TEST_CASE("shrinking a timed counterexample keeps one that cannot be shorter") {
  // Breadth-first's is a shortest one: the shrink may make it plainer, never shorter or longer.
  const Scenario s = timed_scenario("lease-unfenced-timed");
  const WorldSearchResult bfs = search_timed(s, *s.search, s.seed);
  REQUIRE(bfs.violation.has_value());
  const WorldSearchFinding again = shrink_timed_path(s, *bfs.violation, s.seed);
  CHECK(again.checker == bfs.violation->checker);
  CHECK(again.steps == bfs.violation->steps);
  CHECK(again.shrunk_from == 0);
}

}  // namespace faultline::run
