#pragma once
// `faultline explore FILE` when FILE names a spec-level model: an exhaustive search of its states
// (spec/search), printed as counts, coverage and any counterexample, written to
// DIR/search.json.

#include <optional>
#include <string>

#include "run/spec_scenario.hpp"

namespace faultline::cli {

struct SpecExploreFlags {
  std::string strategy;  // "" : the file's
  std::optional<uint64_t> max_depth;
  std::optional<uint64_t> max_states;
  std::string max_memory;  // "": default_max_memory(); "none"; or a size
  bool symmetry = false;   // on when set, else the file's
  std::string out;
  bool json = false;  // the JSON summary on stdout instead of the text
  bool check_expect = false;
  SearchShard shard;  // --shard I/N
};

int explore_spec(run::SpecScenario scenario, const SpecExploreFlags& flags);

}  // namespace faultline::cli
