#pragma once
// Ghost state of a lock run: who believed it held which lock when (true time), and every access
// to the protected resource with the token it carried. Kept by the harness outside the nodes, so
// it survives their crashes; fed to checkers/safety/mutual_exclusion at the end of the run.

#include <string>
#include <vector>

#include "base/format_ns.hpp"
#include "checkers/history.hpp"
#include "checkers/safety/mutual_exclusion.hpp"
#include "protocols/locks/messages.hpp"
#include "sim/fiber.hpp"
#include "sim/incarnation.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::locks {

struct LockGhost {
  std::vector<checkers::LockHolding> holdings;
  std::vector<sim::Incarnation> holders;  // who reported holdings[i]
  std::vector<checkers::ResourceAccess> accesses;
  std::vector<int64_t> acquisitions_at_ns;  // progress, for bounded liveness

  // The holdings as the checker judges them: one its holder never ended ended at the crash of
  // the incarnation that held it, if that crashed (a crashed client no longer believes anything,
  // and cannot say so itself).
  std::vector<checkers::LockHolding> judged_holdings(const sim::World& world) const {
    std::vector<checkers::LockHolding> out = holdings;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i].until_ns != kNever) continue;
      if (auto end = sim::incarnation_end(world, holders[i])) out[i].until_ns = end->ns();
    }
    return out;
  }
};

// One holding, as the client that believes it holds the lock reports it: from when it learns it
// holds the lock until it stops believing so, at its release or when its validity runs out. Both
// ends are written by the client while it is up, through its context; a crash ends the holding
// too, but that end is read from the crash (LockGhost::judged_holdings), not written by the
// client's fiber while it unwinds.
class Holding {
 public:
  Holding(LockGhost& ghost, sim::Context& ctx, std::string lock, uint64_t token)
      : ghost_(&ghost), index_(ghost.holdings.size()) {
    int64_t now = ctx.observer_time().ns();
    ghost.holdings.push_back({std::move(lock), ctx.name(), token, now, kNever});
    ghost.holders.push_back(sim::incarnation_of(ctx));
    ghost.acquisitions_at_ns.push_back(now);
  }
  Holding(const Holding&) = delete;
  Holding& operator=(const Holding&) = delete;

  void end(sim::Context& ctx) {
    if (!ghost_) return;
    ghost_->holdings[index_].until_ns = ctx.observer_time().ns();
    ghost_ = nullptr;
  }

 private:
  LockGhost* ghost_;
  size_t index_;
};

// Spends `compute` on the client's own monotonic clock, as a careful client does: it stops
// believing it holds the lock once its validity (`valid_until`, same clock) has passed, even in
// the middle of the work. Returns whether the lock is still valid when the work is done.
inline bool compute_within_validity(sim::Process& co, Holding& holding, sim::Duration compute,
                                    sim::LocalTime valid_until) {
  sim::LocalTime done = co.now() + compute;
  if (done < valid_until) {
    co.sleep(compute);
    return co.now() < valid_until;  // a pause in the sleep may have outlived the validity
  }
  if (valid_until > co.now()) co.sleep(valid_until - co.now());
  holding.end(co.ctx());
  if (done > co.now()) co.sleep(done - co.now());
  return false;
}

// How a client records its write to the protected resource: unanswered, it may or may not have
// taken effect (info); answered, accepted (ok) or refused for its token (fail).
inline checkers::OpType written_outcome(const WriteResult* result) {
  if (!result) return checkers::OpType::info;
  return result->accepted ? checkers::OpType::ok : checkers::OpType::fail;
}

}  // namespace faultline::protocols::locks
