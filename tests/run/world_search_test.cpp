// Exhaustive search of protocol implementations (run/world_search): breadth-first search finds a
// known bug by its shortest schedule, depth-first search finds it too, a finite space is
// exhausted, counts do not depend on the run, and a counterexample replays to the same violation.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/world_search.hpp"
#include "tests/run/twopc_search_scenario.hpp"

namespace faultline::run {

namespace {

Scenario search_scenario(const std::string& variant, nlohmann::json search) {
  return twopc_search_scenario(variant, std::move(search), {"atomic-commit", "liveness"});
}

}  // namespace

TEST_CASE("a finite untimed space is exhausted: 2PC without faults or timers") {
  Scenario s = search_scenario("correct", {{"timers", 0}});
  WorldSearchResult r = search_world(s, *s.search, 1);
  CHECK_FALSE(r.violation.has_value());
  CHECK(r.exhausted);
  CHECK(r.cut_by.empty());
  CHECK(r.distinct_states > 10);
  CHECK(r.generated_states >= r.distinct_states);
  // The liveness checker judges time, which an untimed world does not have: left out, and said.
  CHECK(r.checkers == std::vector<std::string>{"atomic-commit"});
  CHECK(r.left_out == std::vector<std::string>{"liveness"});
  CHECK(r.coverage.count("deliver Prepare") == 1);
  CHECK(r.coverage.count("timer") == 0);

  SUBCASE("the same search twice gives the same counts, depth-first as breadth-first") {
    WorldSearchResult again = search_world(s, *s.search, 1);
    CHECK(again.distinct_states == r.distinct_states);
    CHECK(again.generated_states == r.generated_states);
    CHECK(again.depth == r.depth);
    SearchSpec dfs = *s.search;
    dfs.strategy = "dfs";
    WorldSearchResult depth_first = search_world(s, dfs, 1);
    CHECK(depth_first.exhausted);
    CHECK(depth_first.distinct_states == r.distinct_states);
  }
}

TEST_CASE("sleep sets skip orders of independent steps and keep every state") {
  for (const char* strategy : {"bfs", "dfs"}) {
    CAPTURE(strategy);
    Scenario s =
        search_scenario("correct", {{"strategy", strategy}, {"timers", 1}, {"max_depth", 7}});
    SearchSpec without = *s.search;
    without.sleep_sets = false;
    const WorldSearchResult plain = search_world(s, without, 1);
    const WorldSearchResult slept = search_world(s, *s.search, 1);
    CHECK(slept.distinct_states == plain.distinct_states);
    CHECK(slept.depth == plain.depth);
    CHECK(slept.generated_states < plain.generated_states);
    CHECK(slept.replays < plain.replays);
  }
  // And exhaustively: the same space, with fewer states generated to cover it.
  Scenario s = search_scenario("correct", {{"timers", 0}});
  SearchSpec without = *s.search;
  without.sleep_sets = false;
  const WorldSearchResult plain = search_world(s, without, 1);
  const WorldSearchResult slept = search_world(s, *s.search, 1);
  CHECK(plain.exhausted);
  CHECK(slept.exhausted);
  CHECK(slept.distinct_states == plain.distinct_states);
  CHECK(slept.generated_states < plain.generated_states);
}

TEST_CASE("breadth-first search finds coordinator-vote-only by its shortest schedule") {
  Scenario s = search_scenario("coordinator-vote-only", {{"timers", 1}, {"max_depth", 8}});
  WorldSearchResult r = search_world(s, *s.search, 1);
  REQUIRE(r.violation.has_value());
  CHECK(r.violation->checker == "atomic-commit");
  // The client's BeginTransaction, then the coordinator's vote timeout: it commits on no vote.
  CHECK(r.violation->steps == 2);
  REQUIRE(r.violation->story.size() == 2);
  CHECK(r.violation->story[0] == "deliver BeginTransaction client -> coordinator");
  CHECK(r.violation->story[1] == "timer 0 of coordinator");
  CHECK(r.cut_by == "violation");
  CHECK_FALSE(r.exhausted);

  SUBCASE("its counterexample runs again to the same violation, and its tape replays exactly") {
    RunOptions steered;
    steered.untimed_steps = r.violation->steps;
    steered.steer = r.violation->path;
    steered.record_tape = true;
    std::ostringstream first_trace;
    steered.trace_out = &first_trace;
    RunOutcome first = run_scenario(s, steered);
    REQUIRE(first.violations.size() == 1);
    CHECK(first.violations[0].checker == "atomic-commit");
    RunOptions replayed;
    replayed.untimed_steps = r.violation->steps;
    replayed.replay = first.tape;
    std::ostringstream second_trace;
    replayed.trace_out = &second_trace;
    RunOutcome second = run_scenario(s, replayed);
    CHECK(second.trace_hash == first.trace_hash);
    CHECK(second_trace.str() == first_trace.str());
  }
}

TEST_CASE("depth-first search finds decision-not-logged within the same bounds") {
  Scenario s = search_scenario("decision-not-logged", {{"strategy", "dfs"},
                                                       {"crashes", 1},
                                                       {"targets", {"coordinator"}},
                                                       {"timers", 1},
                                                       {"max_depth", 10}});
  WorldSearchResult r = search_world(s, *s.search, 1);
  REQUIRE(r.violation.has_value());
  CHECK(r.violation->checker == "atomic-commit");
  CHECK(r.violation->steps <= 10);
  // The story names the crash and the restart that lose the unlogged decision.
  CHECK(std::count(r.violation->story.begin(), r.violation->story.end(), "crash coordinator") == 1);
  CHECK(std::count(r.violation->story.begin(), r.violation->story.end(), "restart coordinator") ==
        1);
}

TEST_CASE("a search scenario is read strictly") {
  const auto error = [](nlohmann::json search) {
    try {
      search_scenario("correct", std::move(search));
    } catch (const protocols::ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error({{"strategy", "random"}}).find("search.strategy") != std::string::npos);
  CHECK(error({{"crashes", -1}}).find("search.crashes") != std::string::npos);
  CHECK(error({{"crash", 1}}).find("search.crash") != std::string::npos);
  CHECK(error({{"timers", {{"p1", -1}}}}).find("search.timers.p1") != std::string::npos);
  CHECK(error({{"timers", nlohmann::json::object()}}).find("search.timers") != std::string::npos);
  CHECK(error({{"timers", "2"}}).find("search.timers") != std::string::npos);
  nlohmann::json with_faults = {{"protocol", "2pc"},
                                {"faults", {{{"at", "1ms"}, {"kind", "crash"}, {"node", "p1"}}}},
                                {"search", nlohmann::json::object()}};
  CHECK_THROWS_AS(parse_scenario("x.json", with_faults), protocols::ScenarioError);
}

}  // namespace faultline::run

namespace faultline::run {

namespace {

const spec::SometimesOutcome& sometimes_of(const WorldSearchResult& r, const std::string& name) {
  const auto it = std::find_if(r.sometimes.begin(), r.sometimes.end(),
                               [&](const spec::SometimesOutcome& s) { return s.name == name; });
  REQUIRE(it != r.sometimes.end());
  return *it;
}

// The fingerprints of the distinct states a search stores.
std::set<uint64_t> fingerprints(const Scenario& s, SearchSpec spec, WorldSearchResult* out) {
  std::set<uint64_t> seen;
  spec.on_state = [&seen](uint64_t fingerprint) { seen.insert(fingerprint); };
  WorldSearchResult r = search_world(s, spec, 1);
  if (out) *out = std::move(r);
  return seen;
}

}  // namespace

TEST_CASE("a search of correct 2PC reaches a commit and an abort, and says when") {
  Scenario s = search_scenario("correct", {{"timers", 1}, {"max_depth", 6}});
  WorldSearchResult r = search_world(s, *s.search, 1);
  CHECK_FALSE(r.violation.has_value());
  REQUIRE(r.sometimes.size() == 2);
  const spec::SometimesOutcome& commit = sometimes_of(r, "a transaction commits");
  const spec::SometimesOutcome& abort = sometimes_of(r, "a transaction aborts");
  CHECK(commit.reached);
  CHECK(abort.reached);
  // BeginTransaction, two Prepares, two votes: the coordinator commits at the fifth step, the
  // sixth state. Its vote timeout aborts at the second step.
  CHECK(commit.depth == 6);
  CHECK(abort.depth == 3);

  SUBCASE("a bound too small to commit says the commit was not reached") {
    Scenario shallow = search_scenario("correct", {{"timers", 1}, {"max_depth", 3}});
    WorldSearchResult cut = search_world(shallow, *shallow.search, 1);
    CHECK_FALSE(sometimes_of(cut, "a transaction commits").reached);
    CHECK(sometimes_of(cut, "a transaction aborts").reached);
  }
}

TEST_CASE("shards of a protocol's search cover exactly the states one search stores") {
  // Within a depth bound too: a state within it lies on a shortest path through the split level.
  for (const char* strategy : {"bfs", "dfs"}) {
    CAPTURE(strategy);
    // Without timers 2PC's space is 49 states, too few to split three ways; with them, bounded.
    Scenario s =
        search_scenario("correct", {{"strategy", strategy}, {"timers", 1}, {"max_depth", 7}});
    WorldSearchResult whole;
    const std::set<uint64_t> all = fingerprints(s, *s.search, &whole);
    REQUIRE(whole.cut_by == "max-depth");
    for (uint32_t count : {2u, 3u}) {
      CAPTURE(count);
      std::set<uint64_t> covered;
      uint64_t generated = 0;
      for (uint32_t index = 0; index < count; ++index) {
        SearchSpec shard = *s.search;
        shard.shard = SearchShard{index, count};
        WorldSearchResult r;
        const std::set<uint64_t> mine = fingerprints(s, shard, &r);
        CHECK(r.cut_by == "max-depth");
        CHECK(r.split_depth > 0);
        CHECK(r.distinct_states < whole.distinct_states);
        covered.insert(mine.begin(), mine.end());
        generated += r.generated_states;
      }
      CHECK(covered == all);
      CHECK(generated >= whole.generated_states);
    }
  }
}

TEST_CASE("a protocol's violation is found by some shard, as short as one search finds it") {
  Scenario s = search_scenario(
      "decision-not-logged",
      {{"crashes", 1}, {"targets", {"coordinator"}}, {"timers", 1}, {"max_depth", 10}});
  const uint32_t count = 2;
  uint64_t shortest = UINT64_MAX;
  uint64_t found = 0;
  for (uint32_t index = 0; index < count; ++index) {
    SearchSpec shard = *s.search;
    shard.shard = SearchShard{index, count};
    const WorldSearchResult r = search_world(s, shard, 1);
    CHECK(r.split_depth > 0);
    if (!r.violation) continue;
    ++found;
    shortest = std::min(shortest, r.violation->steps);
  }
  CHECK(found >= 1);
  CHECK(shortest == 10);  // breadth-first's shortest, as docs/model-checking.md shows it
}

}  // namespace faultline::run

namespace faultline::run {

TEST_CASE("timers bounded node by node: only the named nodes' timers fire") {
  // Raft's volatile vote needs two servers to time out (s1, then s2 after s1 forgets its vote):
  // naming those two finds it as soon, among fewer states; naming s1 alone cannot reach it.
  const std::string file =
      std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/raft-volatile-vote.json";
  const auto search = [&](const std::string& timers) {
    const Scenario s = load_scenario(file, {"search.timers=" + timers});
    return search_world(s, *s.search, 1);
  };
  const WorldSearchResult every = search("1");
  const WorldSearchResult two = search(R"({"s1": 1, "s2": 1})");
  REQUIRE(every.violation.has_value());
  REQUIRE(two.violation.has_value());
  CHECK(two.violation->checker == "election-safety");
  CHECK(two.violation->steps == every.violation->steps);
  CHECK(two.distinct_states < every.distinct_states);
  for (const std::string& step : two.violation->story) {
    CHECK(step.find("timer 1 of s3") == std::string::npos);
  }

  const WorldSearchResult one = search(R"({"s1": 1})");
  CHECK_FALSE(one.violation.has_value());
  CHECK(one.cut_by == "max-depth");
  CHECK(one.distinct_states < two.distinct_states);

  const Scenario unknown = load_scenario(file, {R"(search.timers={"s9": 1})"});
  try {
    search_world(unknown, *unknown.search, 1);
    FAIL("a timer bound for a node that does not exist was taken");
  } catch (const protocols::ScenarioError& e) {
    CHECK(std::string(e.what()).find("search.timers.s9") != std::string::npos);
  }
}

}  // namespace faultline::run
