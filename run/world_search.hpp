#pragma once
// Exhaustive search of a protocol's implementation (docs/model-checking.md, "Searching a
// protocol's implementation"): every schedule of the scenario's untimed world (sim/untimed.hpp),
// within its fault budget and bounds, breadth-first (a shortest counterexample) or depth-first.
//
// A world's nodes run real code on fibers and cannot be copied, so a state is reached by
// replaying its path of choices from a fresh world (stateless search, as CHESS and DSLabs do),
// and recognised by its fingerprint (sim::World::fingerprint): a state seen before is not
// expanded again. Each new state is judged by the world's invariants and by the scenario's
// checkers that need no time. The search's driver is run::stateless_search
// (run/stateless_search.hpp), which the timed search shares; this file supplies its untimed steps.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "run/scenario.hpp"
#include "spec/search.hpp"

namespace faultline::run {

struct WorldSearchFinding {
  std::string checker;
  std::string message;
  std::vector<uint32_t> path;      // the schedule's draws that reach it (sim::SteeredChoices)
  uint64_t steps = 0;              // steps from the initial state
  std::vector<std::string> story;  // each step in words: "deliver Prepare coordinator -> p1"
  uint64_t shrunk_from = 0;        // the steps of the schedule as found, when shrunk (0: not)
};

struct WorldSearchResult {
  std::string strategy;
  std::string variant;                // the protocol's variant searched
  uint64_t distinct_states = 0;       // fingerprints stored
  uint64_t generated_states = 0;      // states reached, the initial one included
  uint64_t depth = 0;                 // the deepest state stored, in states (the initial one: 1)
  uint64_t replays = 0;               // worlds built and stepped to reach them
  bool exhausted = false;             // every reachable state within the budget was expanded
  std::string cut_by;                 // "", "violation", "max-depth" or "max-states"
  double seconds = 0;                 // wall time of the search (reported, never part of a verdict)
  std::vector<std::string> checkers;  // what judged each state
  std::vector<std::string> left_out;  // the scenario's checkers of time or progress
  // Steps taken per kind of action ("deliver Prepare", "timer", "crash"...), over every state
  // generated: what the search exercised.
  std::map<std::string, uint64_t> coverage;
  // The world's `sometimes` properties (sim/sometimes.hpp), each with the depth of the
  // shallowest state found in which it had held (counted in states, as `depth` is).
  std::vector<spec::SometimesOutcome> sometimes;
  // Sharded (SearchSpec::shard): as spec::SearchResult has them.
  uint64_t split_depth = 0;
  uint64_t split_states = 0;
  uint64_t shard_states = 0;
  std::optional<WorldSearchFinding> violation;
};

struct BuiltWorld;

// What breaks in the world as it stands: the first invariant broken (they are checked at every
// step), else the first finding of the world's checkers; a checker that could not decide is none.
std::optional<std::pair<std::string, std::string>> judge_world(BuiltWorld& built);

// The world's `sometimes` properties that have held in it (on the path that reached its state),
// merged into `sometimes` at the shallowest depth (in states: steps + 1); an empty `sometimes`
// first gets one entry per property.
void note_sometimes(const sim::World& world, std::vector<spec::SometimesOutcome>& sometimes);

// Each step of the path in words, replayed from a fresh world of the scenario (seed: the nodes').
std::vector<std::string> world_story(const Scenario& scenario, const std::vector<uint32_t>& path,
                                     uint64_t steps, uint64_t seed);

// Called now and then with the figures so far (a progress line).
using WorldSearchProgress = std::function<void(const WorldSearchResult&)>;

// Searches `scenario`'s untimed world under `spec` (its strategy, bounds and budget); the nodes'
// own random draws come from `seed`. A timed `spec` (SearchSpec::timed) is searched by
// run::search_timed (run/timed_search.hpp) instead, so that one call searches any scenario as its
// `search` section says. Throws protocols::ScenarioError on a scenario the search cannot run.
WorldSearchResult search_world(const Scenario& scenario, const SearchSpec& spec, uint64_t seed,
                               const WorldSearchProgress& progress = {});

}  // namespace faultline::run
