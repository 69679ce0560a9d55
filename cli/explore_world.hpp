#pragma once
// `faultline explore FILE --strategy bfs|dfs|pct` when FILE names a protocol: an exhaustive search
// of the implementation's untimed world (run/world_search), printed as counts, coverage and any
// counterexample, written to DIR/search.json, the counterexample as a run (trace, diagram,
// report, tape) in DIR/counterexample.

#include <optional>
#include <string>
#include <vector>

#include "run/scenario.hpp"

namespace faultline::cli {

struct WorldExploreFlags {
  std::string strategy;               // "": the file's `search.strategy`; "pct" runs seeds instead
  std::optional<uint32_t> pct_depth;  // "": the file's `search.depth`
  std::optional<std::pair<uint64_t, uint64_t>> seeds;  // pct; "": 1..the file's `search.runs`
  std::optional<uint64_t> max_depth;
  std::optional<uint64_t> max_states;
  std::vector<std::string> set;
  std::string out;
  bool json = false;
  bool check_expect = false;
  SearchShard shard;  // --shard I/N: bfs and dfs
};

int explore_world(run::Scenario scenario, const WorldExploreFlags& flags);

}  // namespace faultline::cli
