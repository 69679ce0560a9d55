#pragma once
// The one driver of faultline's exhaustive searches of a protocol's real code
// (docs/model-checking.md, "Searching a protocol's implementation"): the untimed search
// (run/world_search.hpp), whose every step is one choice among all that could happen next, and
// the timed one (run/timed_search.hpp), whose every step is an instant with its fault, event
// order and latencies drawn from small sets.
//
// A world's nodes run real code on fibers and cannot be copied, so both are stateless searches
// (as CHESS and DSLabs are): a state is reached by replaying its path of draws from a fresh world,
// and recognised by a fingerprint, so that a state seen before is not expanded again. What the
// two searches share is here, once: the store of fingerprints, the breadth- or depth-first
// frontier, the max-states and max-depth cuts, the split of a sharded search, sleep sets,
// coverage, the `sometimes` properties, the judging of each new state, the counterexample and
// the summary's figures. What differs is a SearchStepper: how a world is built and stepped along
// a path, what a state can do next, its fingerprint, where the horizon cuts, and the names by
// which sleep sets know a state's steps (the untimed search's only).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "run/world_search.hpp"
#include "sim/trace.hpp"

namespace faultline::run {

// One draw of a step: the value taken and how many there were to take.
struct StepDraw {
  uint32_t value = 0;
  uint32_t bound = 0;
};

// A step as a sleep set remembers it: what it does (hashed), and the node whose step it is
// (sim::kNoNode for the environment's faults, which are dependent on every other step).
struct NamedStep {
  uint64_t key = 0;
  sim::NodeId node = sim::kNoNode;
  bool operator==(const NamedStep&) const = default;
  bool operator<(const NamedStep& o) const { return key < o.key; }
};

// A world of the search, built afresh and stepped along a path of draws to one of its states.
class SearchNode {
 public:
  virtual ~SearchNode() = default;
  virtual BuiltWorld& built() = 0;
  // The state as the search's store keys it.
  virtual uint64_t fingerprint() const = 0;
  // What the state can do next: nothing, only what lies past the search's horizon (a cut), or
  // some steps.
  enum class Ahead : uint8_t { kNothing, kPastHorizon, kSteps };
  virtual Ahead ahead() = 0;
  // The state's steps as sleep sets name them, the i-th taken by a single draw of value i (none
  // when there is one step); empty: the search has no sleep sets. Called after ahead().
  virtual std::vector<NamedStep> named_steps() { return {}; }
  // Takes one step, the one the path it was replayed along chooses (past the path's end, the
  // first value of each draw), and counts what it did in `coverage`. False when there was none.
  virtual bool step(std::map<std::string, uint64_t>& coverage) = 0;
  // After step(): every draw that reaches the new state, and those from the `from`-th on with
  // their bounds (`from`: the length of the path of the state the step was taken from).
  virtual std::vector<uint32_t> path() const = 0;
  virtual std::vector<StepDraw> draws_from(size_t from) const = 0;
};

// What one kind of stateless search supplies to the driver, besides its nodes.
struct SearchStepper {
  // A fresh world stepped `steps` steps along `path`.
  std::function<std::unique_ptr<SearchNode>(const std::vector<uint32_t>& path, uint64_t steps)>
      replay;
  // Each step of a counterexample in words.
  std::function<std::vector<std::string>(const std::vector<uint32_t>& path, uint64_t steps)> story;
  // A counterexample found depth-first, shortened (breadth-first's is a shortest one already);
  // empty: kept as found.
  std::function<WorldSearchFinding(const WorldSearchFinding& found)> shorten;
};

// Searches the states `stepper` reaches under `spec` (its strategy, bounds, shard and sleep
// sets). `cut_by` is "horizon" when some state had only steps past the stepper's horizon.
WorldSearchResult stateless_search(const SearchStepper& stepper, const SearchSpec& spec,
                                   const WorldSearchProgress& progress = {});

}  // namespace faultline::run
