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
  std::optional<SpecViolation> violation;
};

// Throws std::invalid_argument when the options ask what the model cannot give (symmetry on a
// model without one, more than 65,535 action instances).
SearchResult search(const Model& model, const SearchOptions& options);

// The result as the JSON summary `faultline explore --json` prints (docs/model-checking.md).
nlohmann::json to_json(const Model& model, const SearchOptions& options,
                       const SearchResult& result);

}  // namespace faultline::spec
