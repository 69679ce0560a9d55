#pragma once
// etcd's lock (etcd client v3 `concurrency` package: Session and Mutex), as a client of the
// Raft-replicated kv service of protocols/raft and protocols/kv:
//   1. grant a lease of `ttl` and keep it alive (a keepalive every `keepalive_interval`);
//   2. create the key prefix + lease id with the lease, if absent (a transaction on the key's
//      create revision being 0), and learn its create revision;
//   3. hold the lock when no key under the prefix has a lower create revision: until then, wait
//      for the deletion of the key with the next lower create revision (etcd watches it; here
//      the client asks for it again every `poll_interval`, which decides the same thing with
//      more requests), then check that its own key is still there;
//   4. release by deleting the key.
// The key's create revision is the fencing token sent with every write to the protected
// resource: the store's revision only grows, so each new holder's token exceeds the last one's.
// If the leader expires the lease (the client was paused, or cut off, for longer than the TTL),
// the key is deleted and the next waiter holds the lock, while the old holder may still believe
// it does: like etcd's own Mutex, the client does not stop its work when a keepalive fails.

#include <string>
#include <vector>

#include "protocols/kv/session.hpp"
#include "protocols/locks/lock_ghost.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::locks {

struct EtcdLockClientOptions {
  std::string prefix = "/lock/";
  std::string resource = "file";
  sim::Duration ttl = sim::seconds(2);
  sim::Duration keepalive_interval = sim::milliseconds(600);  // etcd: a third of the TTL
  sim::Duration poll_interval = sim::milliseconds(100);
  kv::KvSessionTimeouts timeouts;
  sim::Duration compute = sim::milliseconds(100);  // work done while holding the lock
  sim::Duration think = sim::milliseconds(100);    // between a release and the next acquire
  sim::Duration start_after;
  int rounds = 1;
};

void run_etcd_lock_client(sim::Process& co, const EtcdLockClientOptions& options,
                          const std::vector<sim::NodeId>& servers, sim::NodeId storage,
                          LockGhost& ghost);

}  // namespace faultline::protocols::locks
