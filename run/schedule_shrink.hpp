#pragma once
// Shrinks a violating schedule of a protocol's untimed world (run/world_search.hpp) to a shorter
// one that breaks the same checker: what a depth-first search or a PCT run finds is whatever
// schedule it met first, often hundreds of steps, of which a handful matter.
//
// Steps are named by what they do (sim::World::describe: "deliver Prepare coordinator -> p1",
// "timer 2 of p1", "crash p2"), not by their position among the choices, so a schedule with steps
// left out still means the same steps. Delta debugging (Zeller and Hildebrandt, 2002) removes runs
// of steps, from half the schedule down to single steps, and keeps a removal whenever the
// schedule still breaks the checker; each try replays a fresh world. A step whose action is not
// enabled when its turn comes is passed over, and a try stops where the checker first breaks, so
// a kept schedule is always one the world really takes.

#include <cstdint>
#include <optional>

#include "run/scenario.hpp"
#include "run/world_search.hpp"

namespace faultline::run {

// Replays at most this many tries: a schedule of n steps takes O(n log n) of them.
constexpr uint64_t kMaxShrinkTries = 4000;

// A schedule no longer than `found` that breaks `found.checker` in the scenario's untimed world
// (seed: the nodes' own draws, as in the search that found it), with its path, steps, message
// and story, and `shrunk_from` found's length; `found` itself when nothing shorter breaks it.
WorldSearchFinding shrink_schedule(const Scenario& scenario, const WorldSearchFinding& found,
                                   uint64_t seed);

}  // namespace faultline::run
