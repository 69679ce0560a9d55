// Node-state fingerprints (sim::Node::fingerprint_state) of 2PC, Paxos and Raft: a search that
// tells states apart by what each node says it is finds exactly what one that tells them apart by
// each node's chain of inputs finds, in fewer states (both_ways, fingerprint_both_ways.hpp).
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "run/scenario.hpp"
#include "run/world_search.hpp"
#include "sim/state_hasher.hpp"
#include "sim/time.hpp"
#include "tests/run/fingerprint_both_ways.hpp"
#include "tests/run/twopc_search_scenario.hpp"

namespace faultline::run {

namespace {

Scenario paxos_scenario(const std::string& variant, nlohmann::json search) {
  nlohmann::json document = {{"protocol", "paxos"},
                             {"variant", variant},
                             {"params", {{"acceptors", 3}, {"proposers", 2}, {"learners", 1}}},
                             {"checkers", {"agreement", "validity"}},
                             {"search", std::move(search)}};
  return parse_scenario("search-test.json", document);
}

}  // namespace

TEST_CASE("a state hasher tells apart what a node could tell apart") {
  const auto hash = [](auto&& feed) {
    sim::StateHasher h;
    feed(h);
    return h.value();
  };
  CHECK(hash([](sim::StateHasher& h) { h.add("ab").add("c"); }) !=
        hash([](sim::StateHasher& h) { h.add("a").add("bc"); }));
  CHECK(hash([](sim::StateHasher& h) { h.add(std::optional<bool>{}); }) !=
        hash([](sim::StateHasher& h) { h.add(std::optional<bool>{false}); }));
  // A time is its nanoseconds: the same hash whether a node feeds the time or its count.
  CHECK(hash([](sim::StateHasher& h) { h.add(sim::LocalTime::from_ns(5'000'000)); }) ==
        hash([](sim::StateHasher& h) { h.add(int64_t{5'000'000}); }));
  const std::vector<int> one = {1}, two = {1, 2};
  const auto each = [](sim::StateHasher& h, int v) { h.add(v); };
  CHECK(hash([&](sim::StateHasher& h) { h.add_range(one, each).add(2); }) !=
        hash([&](sim::StateHasher& h) { h.add_range(two, each); }));
}

TEST_CASE("node-state fingerprints find what input chains find, in fewer states: 2PC") {
  for (const char* variant :
       {"correct", "decision-not-logged", "coordinator-vote-only", "unilateral-abort"}) {
    CAPTURE(variant);
    Scenario s = twopc_search_scenario(
        variant, {{"crashes", 1}, {"targets", {"coordinator"}}, {"timers", 1}, {"max_depth", 7}},
        {"atomic-commit"});
    const auto results = both_ways(s);
    // coordinator-vote-only breaks in two steps, before any two orders could meet.
    if (results.second.distinct_states > 100) {
      CHECK(results.first.distinct_states < results.second.distinct_states);
    }
  }
  // A participant's timer twice: it aborts on its own after voting yes, a seven-step violation.
  {
    Scenario s = twopc_search_scenario("unilateral-abort", {{"timers", 2}, {"max_depth", 9}},
                                       {"atomic-commit"});
    const auto results = both_ways(s);
    REQUIRE(results.first.violation.has_value());
    CHECK(results.first.violation->steps == 7);
  }
  // Exhausted: every state of 2PC without faults or timers, and of it with a participant's crash.
  for (const nlohmann::json& search :
       {nlohmann::json{{"timers", 0}},
        nlohmann::json{{"timers", 0}, {"crashes", 1}, {"targets", {"p1"}}}}) {
    CAPTURE(search.dump());
    Scenario s = twopc_search_scenario("correct", search, {"atomic-commit"});
    const auto results = both_ways(s);
    CHECK(results.first.exhausted);
  }
}

TEST_CASE("node-state fingerprints find what input chains find: Paxos") {
  for (const char* variant : {"correct", "forget-promise-on-restart", "ignore-highest-accepted"}) {
    CAPTURE(variant);
    Scenario s = paxos_scenario(
        variant,
        {{"crashes", 1}, {"targets", {"a1", "a2", "a3"}}, {"timers", 1}, {"max_depth", 9}});
    const auto results = both_ways(s);
    CHECK(results.first.distinct_states < results.second.distinct_states);
  }
}

TEST_CASE("breadth-first search finds Paxos's ignored highest-accepted value in 14 steps") {
  // scenarios/search/paxos-ignore-highest-accepted.json without its crash: none is needed, and
  // the space is a fifth of the scenario's (201,365 distinct states with one crash, as
  // docs/catalog.md gives them), so the suite stays quick under the sanitizers too. The counts are
  // the scenario's alone (the search is deterministic), with node-state fingerprints.
  Scenario s = load_scenario(
      std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/paxos-ignore-highest-accepted.json",
      {"search.crashes=0"});
  const WorldSearchResult r = search_world(s, *s.search, 1);
  REQUIRE(r.violation.has_value());
  CHECK(r.violation->checker == "agreement");
  CHECK(r.violation->steps == 14);
  CHECK(r.distinct_states == 41'882);
  CHECK(r.generated_states == 61'147);
}

TEST_CASE("correct Paxos passes every schedule of twelve steps under the same budget") {
  const Scenario s =
      load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/paxos-correct.json");
  const WorldSearchResult r = search_world(s, *s.search, 1);
  CHECK_FALSE(r.violation.has_value());
  CHECK(r.cut_by == "max-depth");
  CHECK(r.distinct_states == 88'398);
  CHECK(r.generated_states == 251'754);
}

TEST_CASE("a search scenario's fingerprint is states or inputs") {
  Scenario s = twopc_search_scenario("correct", {{"fingerprint", "inputs"}}, {"atomic-commit"});
  CHECK_FALSE(s.search->budget.node_states);
  CHECK(twopc_search_scenario("correct", nlohmann::json::object(), {"atomic-commit"})
            .search->budget.node_states);
  try {
    twopc_search_scenario("correct", {{"fingerprint", "nodes"}}, {"atomic-commit"});
    FAIL("a bad fingerprint was read");
  } catch (const protocols::ScenarioError& e) {
    CHECK(std::string(e.what()).find("search.fingerprint") != std::string::npos);
  }
}

TEST_CASE("node-state fingerprints find what input chains find: Raft") {
  // scenarios/search/raft-*.json: three servers, one crash, each server's timers once.
  const auto raft = [](const std::string& variant, int depth, bool noop) {
    return load_scenario(
        std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/raft-correct.json",
        {"variant=\"" + variant + "\"", "search.max_depth=" + std::to_string(depth),
         std::string("params.noop_on_election=") + (noop ? "true" : "false")});
  };
  // With a no-op at each election the logs grow, so replication, commit and apply are in reach.
  for (const char* variant : {"correct", "commit-old-term", "local-reads"}) {
    CAPTURE(variant);
    const auto results = both_ways(raft(variant, 7, true));
    CHECK_FALSE(results.first.violation.has_value());
    CHECK(results.first.distinct_states < results.second.distinct_states);
  }
  const auto results = both_ways(raft("volatile-vote", 8, false));
  REQUIRE(results.first.violation.has_value());
  CHECK(results.first.violation->checker == "election-safety");
  CHECK(results.first.violation->steps == 8);
}

TEST_CASE("breadth-first search finds Raft's volatile vote in eight steps; correct Raft passes") {
  // A server that forgets its own vote on restart grants a second one in the same term. The
  // counts are the scenarios' (the search is deterministic), with node-state fingerprints.
  const std::string dir = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/";
  const Scenario buggy = load_scenario(dir + "raft-volatile-vote.json");
  const WorldSearchResult r = search_world(buggy, *buggy.search, 1);
  REQUIRE(r.violation.has_value());
  CHECK(r.violation->checker == "election-safety");
  CHECK(r.violation->steps == 8);
  CHECK(r.distinct_states == 14'303);

  const Scenario correct = load_scenario(dir + "raft-correct.json");
  const WorldSearchResult c = search_world(correct, *correct.search, 1);
  CHECK_FALSE(c.violation.has_value());
  CHECK(c.cut_by == "max-depth");
  CHECK(c.distinct_states == 33'148);
  CHECK(c.generated_states == 64'015);
}

}  // namespace faultline::run
