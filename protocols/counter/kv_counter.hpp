#pragma once
// Read-modify-write on the replicated kv service (protocols/kv on a Raft cluster "s1".."sN"),
// with clients "client1".."clientM" (kv_counter_client.hpp):
//   kv-counter       a counter on one key: get then put (loses updates) or a CAS loop;
//   optimistic-lock  a row with a version column: every writer checks the version, or client1
//                    writes blindly and overwrites.
// Judged by the linearizability of the clients' logical operations (counter or set model) and by
// the final state against the acknowledged operations (final_value.hpp).

#include "protocols/protocol.hpp"

namespace faultline::protocols::counter {

ProtocolInfo kv_counter_info();
ProtocolInfo optimistic_lock_info();

}  // namespace faultline::protocols::counter
