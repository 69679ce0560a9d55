#pragma once
// A node's incarnation: its life from one boot to the crash that ends it. Ghost state that a
// node reports about its own belief ("I hold the lock") holds only while the incarnation that
// reported it lives, and a crashed node reports nothing, not even that it stopped believing:
// so the node writes such state while it is up (through its Context), and the observer reads
// the end a crash put to it from the world's fault log, never from code run while the crashed
// node's fiber unwinds.

#include <cstdint>
#include <optional>

#include "sim/node.hpp"
#include "sim/world.hpp"

namespace faultline::sim {

struct Incarnation {
  NodeId node = kNoNode;
  uint32_t number = 0;  // how many times the node had crashed before this life began
};

// The incarnation running the handler that `ctx` belongs to.
Incarnation incarnation_of(const Context& ctx);

// The true time at which the crash that ended `who` took effect, or nullopt while it lives.
std::optional<TrueTime> incarnation_end(const World& world, Incarnation who);

}  // namespace faultline::sim
