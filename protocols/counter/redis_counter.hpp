#pragma once
// A Redis-like counter as the runner sees it: servers "r1" (primary at first) and "r2" (its
// replica), a sentinel ("sentinel") that fails over, and clients "client1".."clientM" that INCR
// and GET. Judged by the linearizability of the clients' history (counter model) and by the
// final value against the acknowledged increments (final_value.hpp).

#include "protocols/protocol.hpp"

namespace faultline::protocols::counter {

ProtocolInfo redis_counter_info();

}  // namespace faultline::protocols::counter
