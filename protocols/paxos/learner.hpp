#pragma once
// A Paxos learner (Lamport, "Paxos Made Simple", §2.3): it learns a chosen value from the
// proposer that saw a majority accept it. It keeps nothing durable: a learner that restarts
// learns again from the next announcement, and the observer records what it was told.

#include <string>

#include "protocols/paxos/messages.hpp"
#include "protocols/paxos/paxos_ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::paxos {

class Learner : public sim::Node {
 public:
  explicit Learner(PaxosGhost& ghost) : ghost_(&ghost) {}
  void on_message(sim::Context& ctx, const sim::Message& message) override {
    const auto* decided = message.payload.as<Decided>();
    if (!decided) return;
    // Every value told is recorded, not only the first: a second, different one is the bug.
    ghost_->record_decision("0", ctx.name(), decided->value, ctx.observer_time().ns());
    if (learnt_.empty()) learnt_ = decided->value;
  }
  bool fingerprint_state(sim::StateHasher& hasher) const override {
    hasher.add(learnt_);
    return true;
  }
  std::string describe() const override {
    return learnt_.empty() ? "nothing learnt" : "learnt " + learnt_;
  }

 private:
  PaxosGhost* ghost_;
  std::string learnt_;
};

}  // namespace faultline::protocols::paxos
