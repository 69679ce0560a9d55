#pragma once
// etcd's lock as the runner sees it: a Raft cluster "s1".."sN" serving the kv store with leases
// and revisions (protocols/raft, protocols/kv), the storage ("storage") and lock clients
// ("client1".."clientM", protocols/locks/etcd_lock_client). Variants: "fenced" (the storage
// checks the lock key's create revision as a fencing token) and "unfenced" (it accepts every
// write: a holder paused past its lease's TTL writes after the next holder).

#include "protocols/protocol.hpp"

namespace faultline::protocols::locks {

ProtocolInfo etcd_lock_info();

}  // namespace faultline::protocols::locks
