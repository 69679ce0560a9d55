#pragma once
// A client that uses the lease lock the way Kleppmann's example does:
//
//   lock = acquire(key)            // retry until granted
//   value = storage.read(resource)
//   compute(value)                 // a GC pause or a slow disk can strike here
//   storage.write(resource, value + 1, token)
//   release(lock)
//
// With `check_validity`, it also checks before the write that the lease has time left on its own
// clock, as careful clients do; a pause after that check defeats it all the same.

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/locks/lock_ghost.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::locks {

struct LeaseClientOptions {
  std::string key = "lock";
  std::string resource = "file";
  sim::Duration ttl = sim::seconds(10);
  sim::Duration compute = sim::milliseconds(100);  // time spent between the read and the write
  sim::Duration think = sim::milliseconds(100);    // pause between rounds
  sim::Duration retry_interval = sim::milliseconds(500);
  sim::Duration call_timeout = sim::milliseconds(100);
  sim::Duration start_after;  // first acquire no earlier than this (staggers the clients)
  int rounds = 1;
  bool check_validity = false;
};

// Runs the workload; `server` and `storage` are node ids of the lock server and the resource.
void run_lease_client(sim::Process& co, const LeaseClientOptions& options, sim::NodeId server,
                      sim::NodeId storage, LockGhost& ghost);

}  // namespace faultline::protocols::locks
