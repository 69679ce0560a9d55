#pragma once
// The names of a lock's intervals in the trace (sim::Context::hold_interval), drawn as bars on
// the lifelines: a client's lease as it counts it on its own clock, and a server's grant to a
// client ("lease to client2") or a session ("session 3") on the server's clock. The lesson of
// the lease scenarios is where the two disagree.

#include <string>

#include "sim/node.hpp"

namespace faultline::protocols::locks {

inline constexpr const char* kLeaseInterval = "lease";

inline std::string grant_interval(const sim::Context& ctx, sim::NodeId holder) {
  return std::string(kLeaseInterval) + " to " + ctx.name_of(holder);
}

inline std::string session_interval(uint64_t session) {
  return "session " + std::to_string(session);
}

}  // namespace faultline::protocols::locks
