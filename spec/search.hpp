#pragma once
// Exhaustive search of a spec-level model (spec/model): every state reachable from the initial
// states, each stored once (spec/state_store), every invariant checked on every distinct state.
// Breadth-first gives a shortest counterexample and the diameter; depth-first reaches deep
// states first and, under a depth bound, re-expands a state reached again by a shorter path, so
// that the bound is exact; its counterexample is shortened by shortcuts along its own path. Counts
// follow TLC's conventions, so figures compare with TLC's: `generated` counts every successor
// computed (the initial states included), `distinct` the states stored, and `depth` is the longest
// shortest path counted in states (an initial state has depth 1). With symmetry, states are stored
// as the canonical member of their orbit.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/shard.hpp"
#include "spec/model.hpp"

namespace faultline::spec {

enum class SearchOrder : uint8_t { breadth_first, depth_first };

struct SearchOptions {
  SearchOrder order = SearchOrder::breadth_first;
  uint64_t max_depth = 0;   // in states, as `depth` counts; 0: unbounded
  uint64_t max_states = 0;  // distinct states; 0: the store's limit (StateStore::kMaxStates)
  // The store's bytes (states, parents, actions, table); 0: unbounded. The search stops before
  // an insertion would pass it.
  uint64_t max_memory = 0;
  bool symmetry = false;  // needs a model with one
  // One shard of the search (base/shard.hpp); a state's shard is a hash of its (canonical) bytes.
  SearchShard shard;
  // Called with each state stored, as the store holds it (tests compare the shards' states).
  std::function<void(const std::byte* state)> on_state;
  // Called every few thousand states, for a progress line.
  std::function<void(uint64_t distinct, uint64_t generated, uint64_t depth)> progress;
};

struct PathStep {
  std::string action;  // "Init" for the first state
  nlohmann::json state;
};

struct SpecViolation {
  std::string invariant;
  std::vector<PathStep> path;  // from an initial state to the state that breaks it
};

struct SearchResult {
  uint64_t distinct_states = 0;
  uint64_t generated_states = 0;
  uint64_t depth = 0;
  // Every reachable state was reached: "no violation" then means none exists (within the
  // model). Otherwise `cut_by` says what stopped the search.
  bool exhausted = false;
  std::string cut_by;  // "", "violation", "max-depth", "max-states", "max-memory"
  uint64_t store_bytes = 0;
  std::vector<uint64_t> action_fired;   // per action instance: successors it generated
  std::vector<bool> sometimes_reached;  // per `sometimes` property
  // Per `sometimes` property: the depth of the shallowest state found that satisfies it (0: none).
  std::vector<uint64_t> sometimes_depth;
  // Sharded: the depth of the level the search split at (0: no level was wide enough, so this
  // shard searched every state), the states of that level, and how many of them were this shard's.
  uint64_t split_depth = 0;
  uint64_t split_states = 0;
  uint64_t shard_states = 0;
  std::optional<SpecViolation> violation;
};

// Throws std::invalid_argument when the options ask what the model cannot give (symmetry on a
// model without one, more than 65,535 action instances).
SearchResult search(const Model& model, const SearchOptions& options);

// A `sometimes` property as a search report gives it, a spec's or a protocol's alike.
struct SometimesOutcome {
  std::string name;
  bool reached = false;
  uint64_t depth = 0;  // of the shallowest state found that satisfies it, counted in states
};
// {"NAME": {"reached": true, "depth": 7}, ...}: the summary's `sometimes`.
nlohmann::json sometimes_json(const std::vector<SometimesOutcome>& sometimes);
// The summary's `shard`: {"index": 2, "count": 4, "split_depth": 6, "split_states": 120,
// "owned": 31} (index 1-based; split_depth null when no level was wide enough to split at).
nlohmann::json shard_json(const SearchShard& shard, uint64_t split_depth, uint64_t split_states,
                          uint64_t owned);

// The result as the JSON summary `faultline explore --json` prints (docs/model-checking.md).
nlohmann::json to_json(const Model& model, const SearchOptions& options,
                       const SearchResult& result);

}  // namespace faultline::spec
