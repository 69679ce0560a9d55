// Timed search of protocol implementations (run/timed_search): with real clocks and one pause
// to place, breadth-first search finds the unfenced lease lock's lost mutual exclusion by its
// shortest schedule, exhausts the fenced one, counts the same twice, splits into shards that cover
// the same states, and its counterexample, run again from its path, breaks the same checker. It
// also splits plain 3PC's decision with one partition, which quorum 3PC survives.
#include <doctest/doctest.h>

#include <set>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/timed_search.hpp"

namespace faultline::run {

namespace {

Scenario search_scenario(const std::string& name, const std::vector<std::string>& overrides = {}) {
  return load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/" + name + ".json",
                       overrides);
}

}  // namespace

TEST_CASE("timed search finds the unfenced lease lock's stale write with one pause") {
  const Scenario s = search_scenario("lease-unfenced-timed");
  REQUIRE(s.search);
  CHECK(s.search->timed);
  const WorldSearchResult r = search_timed(s, *s.search, s.seed);
  REQUIRE(r.violation.has_value());
  CHECK(r.cut_by == "violation");
  CHECK_FALSE(r.exhausted);
  CHECK(r.violation->checker == "fenced-mutual-exclusion");
  CHECK(r.violation->steps == 34);
  CHECK(r.violation->story.size() == r.violation->steps);
  CHECK(r.distinct_states == 1583);
  // The pause is in the story, and it outlives the lease.
  bool paused = false;
  for (const std::string& line : r.violation->story) {
    if (line.find("pause client1 for 15s") != std::string::npos) paused = true;
  }
  CHECK(paused);
  CHECK(r.coverage.count("pause") == 1);

  SUBCASE("its path, run as a counterexample, breaks the same checker at the same step") {
    RunOptions options;
    options.seed = s.seed;
    options.steer = r.violation->path;
    options.timed_steps = r.violation->steps;
    options.record_tape = true;
    const RunOutcome run = run_scenario(s, options);
    REQUIRE_FALSE(run.violations.empty());
    CHECK(run.violations.front().checker == "fenced-mutual-exclusion");
    // Replayed from its tape, the same run again.
    RunOptions replay;
    replay.seed = s.seed;
    replay.replay = run.tape;
    replay.timed_steps = r.violation->steps;
    const RunOutcome again = run_scenario(s, replay);
    REQUIRE_FALSE(again.violations.empty());
    CHECK(again.violations.front().message == run.violations.front().message);
    CHECK(again.simulated_ns == run.simulated_ns);
  }
}

TEST_CASE("timed search exhausts the fenced lease lock under the same budget") {
  const Scenario s = search_scenario("lease-fenced-timed");
  const WorldSearchResult r = search_timed(s, *s.search, s.seed);
  CHECK_FALSE(r.violation.has_value());
  CHECK(r.exhausted);
  CHECK(r.cut_by.empty());
  CHECK(r.distinct_states == 2354);
  CHECK(r.generated_states >= r.distinct_states);
  CHECK(r.coverage.count("pause") == 1);
  CHECK(r.coverage.count("deliver Granted") == 1);

  SUBCASE("the same counts twice, and depth-first reaches the same states") {
    const WorldSearchResult again = search_timed(s, *s.search, s.seed);
    CHECK(again.distinct_states == r.distinct_states);
    CHECK(again.generated_states == r.generated_states);
    SearchSpec dfs = *s.search;
    dfs.strategy = "dfs";
    const WorldSearchResult depth_first = search_timed(s, dfs, s.seed);
    CHECK(depth_first.exhausted);
    CHECK(depth_first.distinct_states == r.distinct_states);
  }
}

TEST_CASE("each latency is a choice among the listed values, and simultaneous events commute") {
  const std::vector<std::string> bounded = {"search.pauses=0", "search.max_depth=6"};
  const Scenario one = search_scenario("lease-fenced-timed", bounded);
  std::vector<std::string> two_values = bounded;
  two_values.push_back("search.latencies_ms=[1,5]");
  const Scenario two = search_scenario("lease-fenced-timed", two_values);
  const WorldSearchResult r1 = search_timed(one, *one.search, one.seed);
  const WorldSearchResult r2 = search_timed(two, *two.search, two.seed);
  // One latency and no fault: a single schedule, one state per step, though the four starts at
  // 0s come in 24 orders, which reach the same state.
  CHECK(r1.distinct_states == 7);
  CHECK(r1.generated_states == 30);
  CHECK(r2.distinct_states == 82);
  CHECK(r1.cut_by == "max-depth");
}

TEST_CASE("a timed search's bounds cut it and say so") {
  SUBCASE("max_depth") {
    const Scenario s = search_scenario("lease-fenced-timed", {"search.max_depth=3"});
    const WorldSearchResult r = search_timed(s, *s.search, s.seed);
    CHECK(r.cut_by == "max-depth");
    CHECK_FALSE(r.exhausted);
    CHECK(r.depth == 4);
  }
  SUBCASE("the horizon: events still due after the scenario's duration") {
    const Scenario s = search_scenario("lease-fenced-timed", {"duration=5s"});
    const WorldSearchResult r = search_timed(s, *s.search, s.seed);
    CHECK(r.cut_by == "horizon");
    CHECK_FALSE(r.exhausted);
  }
  SUBCASE("without a pause the unfenced lock is safe: the bug needs the pause") {
    const Scenario s = search_scenario("lease-unfenced-timed", {"search.pauses=0"});
    const WorldSearchResult r = search_timed(s, *s.search, s.seed);
    CHECK_FALSE(r.violation.has_value());
    CHECK(r.exhausted);
  }
}

TEST_CASE("shards of a timed search cover exactly the states one search stores") {
  const Scenario s = search_scenario("lease-fenced-timed");
  const auto fingerprints = [&](SearchSpec spec, WorldSearchResult& out) {
    std::set<uint64_t> seen;
    spec.on_state = [&seen](uint64_t fingerprint) { seen.insert(fingerprint); };
    out = search_timed(s, spec, s.seed);
    return seen;
  };
  WorldSearchResult whole;
  const std::set<uint64_t> all = fingerprints(*s.search, whole);
  REQUIRE(whole.exhausted);
  const uint32_t count = 2;
  std::set<uint64_t> covered;
  for (uint32_t index = 0; index < count; ++index) {
    CAPTURE(index);
    SearchSpec shard = *s.search;
    shard.shard = SearchShard{index, count};
    WorldSearchResult r;
    const std::set<uint64_t> mine = fingerprints(shard, r);
    CHECK(r.exhausted);
    CHECK(r.split_depth > 0);
    CHECK(r.distinct_states < whole.distinct_states);
    covered.insert(mine.begin(), mine.end());
  }
  CHECK(covered == all);
}

TEST_CASE("timed search fields are read strictly") {
  const auto error = [](const std::vector<std::string>& overrides) {
    try {
      search_scenario("lease-fenced-timed", overrides);
    } catch (const protocols::ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error({"search.latencies_ms=[]"}).find("search.latencies_ms") != std::string::npos);
  CHECK(error({"search.pauses_ms=[0]"}).find("search.pauses_ms[0]") != std::string::npos);
  CHECK(error({"search.timers=1"}).find("search.timers") != std::string::npos);
  CHECK(error({"search.jumps=1"}).find("search.jumps") != std::string::npos);
  CHECK(error({"search.time=later"}).find("search.time") != std::string::npos);
}

TEST_CASE("timed search splits plain 3PC's decision with one partition; quorum 3PC holds") {
  // scenarios/search/threepc-*-partition-timed.json: a node cut off after voting yes misses the
  // pre-commit; the coordinator commits without it and plain 3PC lets it abort alone.
  const Scenario plain = search_scenario("threepc-plain-partition-timed");
  const WorldSearchResult r = search_timed(plain, *plain.search, plain.seed);
  REQUIRE(r.violation.has_value());
  CHECK(r.violation->checker == "atomic-commit");
  CHECK(r.violation->steps == 17);
  CHECK(r.violation->message.find("decided both ways") != std::string::npos);
  CHECK(r.distinct_states == 1203);
  bool cut_off = false;
  for (const std::string& line : r.violation->story) {
    if (line.find("isolate p") != std::string::npos) cut_off = true;
  }
  CHECK(cut_off);

  // Quorum 3PC: every schedule up to the horizon, none that splits; the periodic termination
  // ticks still have events due at 1s, so the horizon (not exhaustion) ends it, and says so.
  const Scenario quorum = search_scenario("threepc-quorum-partition-timed");
  const WorldSearchResult q = search_timed(quorum, *quorum.search, quorum.seed);
  CHECK_FALSE(q.violation.has_value());
  CHECK(q.cut_by == "horizon");
  CHECK(q.distinct_states == 9003);
  CHECK(q.generated_states == 55'962);
}

}  // namespace faultline::run
