// Node-state fingerprints of Multi-Paxos's servers (multi_paxos_fingerprint.cpp) and of its ghost
// (MultiPaxosGhost::hash): a breadth-first search of each variant finds what the same search by
// input chains finds, in fewer states (both_ways, fingerprint_both_ways.hpp). No bug variant
// breaks within the six steps these searches can afford: each needs two elections and the
// client's second command (put in a slot already chosen, or a read served by a leader that missed
// the first), some seventeen steps; PCT reaches one of them (the last case).
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "run/pct_search.hpp"
#include "run/scenario.hpp"
#include "run/world_search.hpp"
#include "tests/run/fingerprint_both_ways.hpp"

namespace faultline::run {

namespace {

// Three servers, one client with two operations on one key, one crash of s3, each node's timers
// once, `max_depth` steps. s3 is the server the client calls first (seed 1), so it is the one
// that leads, accepts and applies in the shortest schedules: its crash loses the most. One crash
// target rather than three keeps each search within a few seconds at six steps.
Scenario multi_paxos_scenario(const std::string& variant, int read_percent, int max_depth) {
  nlohmann::json document = {{"protocol", "multi-paxos"},
                             {"variant", variant},
                             {"params",
                              {{"servers", 3},
                               {"clients", 1},
                               {"operations", 2},
                               {"keys", 1},
                               {"read_percent", read_percent},
                               {"append_percent", 0}}},
                             {"checkers", {"agreement", "linearizable"}},
                             {"search",
                              {{"strategy", "bfs"},
                               {"crashes", 1},
                               {"targets", {"s3"}},
                               {"timers", 1},
                               {"max_depth", max_depth}}}};
  return parse_scenario("search-test.json", document);
}

}  // namespace

TEST_CASE("node-state fingerprints find what input chains find, in fewer states: Multi-Paxos") {
  // Gets for leader-local-reads, whose leader answers them outside the log from the fourth step
  // on (a put would not reach its bug's code within these steps); puts for the others, which the
  // leader chooses and applies. Not trust-own-log: its bug's code runs only at a second leader's
  // election, beyond these six steps, so its search is correct's, state for state (9,137 / 17,044
  // both); the PCT case below reaches it.
  const std::pair<const char*, int> variants[] = {
      {"correct", 0}, {"forget-promise-on-restart", 0}, {"leader-local-reads", 100}};
  for (const auto& [name, read_percent] : variants) {
    const std::string variant = name;
    CAPTURE(variant);
    const auto results = both_ways(multi_paxos_scenario(variant, read_percent, 6));
    MESSAGE(variant << ": " << results.first.distinct_states << " / "
                    << results.first.generated_states << " by node states, "
                    << results.second.distinct_states << " / " << results.second.generated_states
                    << " by inputs");
    CHECK(results.first.distinct_states < results.second.distinct_states);
    CHECK(results.first.cut_by == "max-depth");
  }
}

TEST_CASE("PCT finds Multi-Paxos's trust-own-log in seventeen steps, beyond breadth-first search") {
  // scenarios/search/multipaxos-trust-own-log-pct.json: the same cluster and budget as above, all
  // three servers crash targets. Breadth-first search of that budget stores 57,138 distinct states
  // by the seventh step (docs/catalog.md), about three times more with each further step.
  const Scenario s = load_scenario(std::string(FAULTLINE_SOURCE_DIR) +
                                   "/scenarios/search/multipaxos-trust-own-log-pct.json");
  PctOptions options;
  options.depth = s.search->pct_depth;
  options.last_seed = s.search->pct_runs;
  const PctResult r = pct_search(s, options);
  REQUIRE(r.violation.has_value());
  CHECK(r.violation->checker == "agreement");
  CHECK(r.violation->steps == 17);
  CHECK(r.failing_seed == std::optional<uint64_t>{2529});
}

}  // namespace faultline::run
