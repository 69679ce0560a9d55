#pragma once
// A Redlock client, after antirez's "Distributed locks with Redis" (redis.io, the Redlock
// algorithm section), steps 1-5:
//   1. read the local monotonic clock;
//   2. SET key value NX PX ttl on every server in turn, the same random value everywhere, with a
//      call timeout small against the TTL, so that a dead server does not eat the validity;
//   3. the lock is held iff a majority granted it and the time elapsed is below the TTL;
//   4. its validity is TTL - elapsed - drift allowance (ttl * drift_factor + 2ms);
//   5. on failure, release everywhere (compare-and-delete of the random value).
// The holder then works only while the validity lasts on its own clock. Redlock hands out no
// fencing token (Kleppmann, "How to do distributed locking", 2016): the storage is unfenced.

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/locks/lock_ghost.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::locks {

struct RedlockClientOptions {
  std::string key = "lock";
  std::string resource = "file";
  sim::Duration ttl = sim::seconds(10);
  int64_t drift_ppm = 10'000;  // clock drift allowance per unit of TTL (0.01 = 10'000 ppm)
  sim::Duration compute = sim::milliseconds(100);
  sim::Duration think = sim::milliseconds(100);
  sim::Duration retry_delay = sim::milliseconds(200);  // a random delay up to this after a failure
  sim::Duration call_timeout = sim::milliseconds(50);
  sim::Duration start_after;
  int rounds = 1;
};

void run_redlock_client(sim::Process& co, const RedlockClientOptions& options,
                        const std::vector<sim::NodeId>& servers, sim::NodeId storage,
                        LockGhost& ghost);

}  // namespace faultline::protocols::locks
