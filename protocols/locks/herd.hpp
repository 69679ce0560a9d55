#pragma once
// The herd effect of the ZooKeeper lock recipe, measured (ZooKeeper Recipes and Solutions,
// "Locks": "the herd effect"): N waiters queue for one lock; each holder releases it in turn.
// Watching the children list ("herd") wakes every waiter at each release; watching the next
// lower node ("recipe") wakes one.

#include <cstdint>
#include <string>

namespace faultline::protocols::locks {

struct HerdFigures {
  int waiters = 0;
  int64_t releases = 0;
  double notifications_per_release = 0;
  // Watch events plus the getChildren round trips they trigger (request and reply).
  double messages_per_release = 0;
  int64_t world_events = 0;
};

// Runs `waiters` clients of the zk-lock `variant` with no faults until all have held the lock.
HerdFigures measure_herd(const std::string& variant, int waiters);

}  // namespace faultline::protocols::locks
