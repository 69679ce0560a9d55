// When an incarnation ended; see incarnation.hpp.
#include "sim/incarnation.hpp"

namespace faultline::sim {

// Every crash that takes effect is logged and starts the node's next incarnation (a crash of a
// node that is down does neither): the node's n-th logged crash, from 0, ends its life n.
Incarnation incarnation_of(const Context& ctx) {
  Incarnation who{ctx.self(), 0};
  for (const Fault& fault : ctx.world().fault_log()) {
    if (fault.kind == Fault::Kind::kCrash && fault.node == who.node) ++who.number;
  }
  return who;
}

std::optional<TrueTime> incarnation_end(const World& world, Incarnation who) {
  uint32_t crashes = 0;
  for (const Fault& fault : world.fault_log()) {
    if (fault.kind != Fault::Kind::kCrash || fault.node != who.node) continue;
    if (crashes++ == who.number) return fault.at;
  }
  return std::nullopt;
}

}  // namespace faultline::sim
