#pragma once
// The ZooKeeper lock recipe (ZooKeeper Recipes and Solutions, "Locks"; Hunt et al., USENIX ATC
// 2010, section 2.4), as a client of ZkServer:
//   1. create an ephemeral-sequential child "lock-" of the lock node;
//   2. list the children; if ours is the lowest, we hold the lock;
//   3. else set a watch (exists) on the next lower child only, wait for it, and go to 2.
// The creation zxid of our child is the fencing token. Pings keep the session alive while the
// client waits or works; a paused client cannot ping, and the server expires its session.
//
// Two variants of the recipe are kept for comparison: `watch_parent` (every waiter watches the
// children list: the herd effect, N notifications per release) and `naive_retry` (a create whose
// reply was lost is simply sent again, leaving an orphan node; the recipe puts a client id in the
// name and looks it up before retrying).

#include <cstdint>
#include <string>

#include "protocols/locks/lock_ghost.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::locks {

struct ZkClientOptions {
  std::string lock = "/lock";
  std::string resource = "file";
  sim::Duration session_timeout = sim::seconds(2);
  sim::Duration ping_interval = sim::milliseconds(500);
  sim::Duration call_timeout = sim::milliseconds(100);
  sim::Duration compute = sim::milliseconds(100);
  sim::Duration think = sim::milliseconds(100);
  sim::Duration start_after;
  int rounds = 1;
  bool watch_parent = false;
  bool naive_retry = false;
};

void run_zk_lock_client(sim::Process& co, const ZkClientOptions& options, sim::NodeId server,
                        sim::NodeId storage, LockGhost& ghost);

}  // namespace faultline::protocols::locks
