#pragma once
// Exhaustive search of a protocol's implementation in a timed world (docs/model-checking.md,
// "Searching a protocol's implementation"; sim/timed_search.hpp): the real clocks, each latency,
// pause length, clock jump and drift drawn from the scenario's small sets, a fault of the budget
// possibly injected before each instant, simultaneous events in any order, up to the scenario's
// duration. Stateless, as the untimed search (run/world_search.hpp), and by the same driver
// (run/stateless_search.hpp): a state is reached by replaying its path of draws from a fresh
// world, and recognised by a fingerprint that holds no absolute time (World::timed_fingerprint),
// so the same state later is the same state.

#include <cstdint>
#include <string>
#include <vector>

#include "run/scenario.hpp"
#include "run/world_search.hpp"

namespace faultline::run {

// Searches `scenario`'s timed world under `spec` (its strategy, bounds and timed budget); the
// nodes' own random draws come from `seed`. A violation's path is the draws of every steered
// stream (sim::TimedSteering), its steps the instants (sim::TimedStepper::step). `cut_by` is
// also "horizon" when some state had an event due after the scenario's duration. Throws
// protocols::ScenarioError on a scenario the search cannot run.
WorldSearchResult search_timed(const Scenario& scenario, const SearchSpec& spec, uint64_t seed,
                               const WorldSearchProgress& progress = {});

// A timed counterexample no longer than `found` (in instants) that breaks `found.checker`, with
// as many of its draws as possible at their first value (no fault, the first latency, events in
// the order scheduled); `shrunk_from` is found's length when shorter, and the story is retold
// when the path changed. A depth-first timed search shrinks what it finds with it.
WorldSearchFinding shrink_timed_path(const Scenario& scenario, const WorldSearchFinding& found,
                                     uint64_t seed);

// Each step of a timed path in words, replayed from a fresh world: "at 50ms: pause client1 for
// 15s; deliver Granted server -> client1".
std::vector<std::string> timed_story(const Scenario& scenario, const std::vector<uint32_t>& path,
                                     uint64_t steps, uint64_t seed);

}  // namespace faultline::run
