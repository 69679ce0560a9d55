#pragma once
// Ghost state of a lock run: who believed it held which lock when (true time), and every access
// to the protected resource with the token it carried. Kept by the harness outside the nodes, so
// it survives their crashes; fed to checkers/safety/mutual_exclusion at the end of the run.

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "base/format_ns.hpp"
#include "checkers/history.hpp"
#include "checkers/safety/mutual_exclusion.hpp"
#include "protocols/locks/messages.hpp"
#include "sim/fiber.hpp"
#include "sim/incarnation.hpp"
#include "sim/state_hasher.hpp"
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

  // What a verdict can depend on, for the search's fingerprint (sim::World::add_ghost_state): as
  // sets, without times, since every state is judged as it is reached. Mutual exclusion breaks
  // when a holding begins while another is open, so each holding with whether it is still open
  // as judged (a crash of its holder closes it; a crashed client's node is its storage alone);
  // fenced access breaks when an accepted token is below the highest accepted or equal to it from
  // another client, which the accepted accesses tell (the rejected ones count for nothing). "A lock
  // is granted" reads whether any holding exists. Without this, a storage or a client that no
  // longer shows what it did would merge a history that accepted token 2 with one that did not.
  void hash(sim::StateHasher& hasher, const sim::World& world) const {
    std::set<std::tuple<std::string, std::string, uint64_t, bool>> held;
    for (const checkers::LockHolding& h : judged_holdings(world)) {
      held.insert({h.lock, h.holder, h.token, h.until_ns == kNever});
    }
    std::set<std::tuple<std::string, std::string, uint64_t>> accepted;
    for (const checkers::ResourceAccess& a : accesses) {
      if (a.accepted) accepted.insert({a.resource, a.client, a.token});
    }
    hasher.add_range(held, [](sim::StateHasher& h, const auto& r) {
      h.add(std::get<0>(r)).add(std::get<1>(r)).add(std::get<2>(r)).add(std::get<3>(r));
    });
    hasher.add_range(accepted, [](sim::StateHasher& h, const auto& r) {
      h.add(std::get<0>(r)).add(std::get<1>(r)).add(std::get<2>(r));
    });
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
