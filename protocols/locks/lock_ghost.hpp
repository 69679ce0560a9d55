#pragma once
// Ghost state of a lock run: who believed it held which lock when (true time), and every access
// to the protected resource with the token it carried. Kept by the harness outside the nodes, so
// it survives their crashes; fed to checkers/safety/mutual_exclusion at the end of the run.

#include <string>
#include <vector>

#include "base/format_ns.hpp"
#include "checkers/safety/mutual_exclusion.hpp"
#include "sim/fiber.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::locks {

struct LockGhost {
  std::vector<checkers::LockHolding> holdings;
  std::vector<checkers::ResourceAccess> accesses;
  std::vector<int64_t> acquisitions_at_ns;  // progress, for bounded liveness
};

// Closes a holding when the client stops believing it holds the lock: at its release, or when
// the client crashes (its fiber is unwound, and this destructor runs during the unwinding).
class HoldingGuard {
 public:
  HoldingGuard(LockGhost& ghost, sim::World& world, std::string lock, std::string holder,
               uint64_t token)
      : ghost_(&ghost), world_(&world), index_(ghost.holdings.size()) {
    int64_t now = world.now().ns();
    ghost.holdings.push_back({std::move(lock), std::move(holder), token, now, kNever});
    ghost.acquisitions_at_ns.push_back(now);
  }
  HoldingGuard(const HoldingGuard&) = delete;
  HoldingGuard& operator=(const HoldingGuard&) = delete;
  ~HoldingGuard() { end(); }

  void end() {
    if (!ghost_) return;
    ghost_->holdings[index_].until_ns = world_->now().ns();
    ghost_ = nullptr;
  }

 private:
  LockGhost* ghost_;
  sim::World* world_;
  size_t index_;
};

// Spends `compute` on the client's own monotonic clock, as a careful client does: it stops
// believing it holds the lock once its validity (`valid_until`, same clock) has passed, even in
// the middle of the work. Returns whether the lock is still valid when the work is done.
inline bool compute_within_validity(sim::Process& co, HoldingGuard& holding, sim::Duration compute,
                                    sim::LocalTime valid_until) {
  sim::LocalTime done = co.now() + compute;
  if (done < valid_until) {
    co.sleep(compute);
    return co.now() < valid_until;  // a pause in the sleep may have outlived the validity
  }
  if (valid_until > co.now()) co.sleep(valid_until - co.now());
  holding.end();
  if (done > co.now()) co.sleep(done - co.now());
  return false;
}

}  // namespace faultline::protocols::locks
