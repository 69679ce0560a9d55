#pragma once
// What undoes a fault, written once: a timeline fault's `for` (run/runner), each fault the
// nemesis injects (sim/nemesis.cpp) and the pairs the timeline shrinker removes together
// (run/timeline_shrink) all follow it.

#include <optional>
#include <string_view>

#include "sim/clock.hpp"
#include "sim/faults.hpp"
#include "sim/network.hpp"

namespace faultline::sim {

// The kind of fault that ends one of `kind`: a crash's restart, a pause's resume, a partition's
// heal; a clock jump, a drift or a network change is ended by another of its own kind (the clock
// stepped back, the drift or the network as before). Nullopt for a fault that ends another
// (restart, resume, heal) or that is over at once (drop).
std::optional<Fault::Kind> undo_kind(Fault::Kind kind);
// The same by the kinds' names ("pause" -> "resume"), for fault timelines as JSON.
std::optional<std::string_view> undo_kind(std::string_view kind);

// The fault that undoes `fault`, at the same node: a partition's heal ends that partition alone,
// a clock jump is stepped back by as much, a drift returns to `configured_drift` and a network
// change to `configured_network`. Its time and trigger are the caller's to set. Nullopt when
// nothing undoes it (undo_kind).
std::optional<Fault> undo_of(const Fault& fault, const NetworkOptions& configured_network,
                             Drift configured_drift = {});

}  // namespace faultline::sim
