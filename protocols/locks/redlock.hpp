#pragma once
// Redlock as the runner sees it (antirez, "Distributed locks with Redis"; Kleppmann's critique,
// "How to do distributed locking", 2016): N independent lease servers ("redis1".."redisN", each
// a LeaseLockServer), the unfenced storage ("storage") and clients ("client1".."clientN").
// Variants: "monotonic" (servers expire keys on their monotonic clocks and fsync every grant:
// within Redlock's assumptions), "wall-clock" (expiry on the wall clock, which NTP may step) and
// "unpersisted" (a restarted server has forgotten its keys).

#include "protocols/protocol.hpp"

namespace faultline::protocols::locks {

ProtocolInfo redlock_info();

}  // namespace faultline::protocols::locks
