// Single-decree Paxos proposer: Lamport, "Paxos Made Simple", 2001, §2.2 (phases 1a and 2a),
// §2.3 (learning a chosen value), §2.4 (progress and its randomized escape from duels).
#include "protocols/paxos/proposer.hpp"

#include <algorithm>

namespace faultline::protocols::paxos {
namespace {
const std::string kStateKey = "proposer";
const std::string kInstance = "0";
constexpr uint32_t kMaxBackoffDoublings = 5;
}  // namespace

void Proposer::on_start(sim::Context& ctx) {
  if (const auto* saved = ctx.storage().get<ProposerRecord>(kStateKey)) {
    highest_round_seen_ = saved->highest_round;
  }
  // A restart is a fresh proposer: it proposes again (its value may not have been chosen).
  arm(ctx, options_.start_after);
}

void Proposer::arm(sim::Context& ctx, sim::Duration after) {
  ctx.cancel_timer(timer_);
  timer_ = ctx.set_timer(after);
}

void Proposer::start_round(sim::Context& ctx) {
  ballot_ = Ballot{highest_round_seen_ + 1, options_.index};
  highest_round_seen_ = ballot_.round;
  // Synced before the prepare leaves: a restarted proposer must never reuse this ballot, since it
  // may by then have sent an accept for it with a value it adopted from the promises.
  ctx.storage().put(kStateKey, ProposerRecord{highest_round_seen_});
  ctx.storage().sync();
  if (attempts_ == 0) ghost_->record_proposal(kInstance, options_.value);
  phase_ = Phase::kPreparing;
  promised_.clear();
  accepted_.clear();
  highest_accepted_ = Ballot{};
  proposal_ = options_.value;
  for (sim::NodeId a : options_.acceptors) ctx.send(a, Prepare{ballot_});
  arm(ctx, options_.round_timeout);
}

void Proposer::on_promise(sim::Context& ctx, const sim::Message& message, const Promise& promise) {
  if (phase_ != Phase::kPreparing || promise.ballot != ballot_) return;
  promised_.insert(message.from);
  // Phase 2a: v is the value of the highest-numbered proposal among the responses.
  if (!promise.accepted_ballot.is_null() && promise.accepted_ballot > highest_accepted_ &&
      !options_.ignore_highest_accepted) {
    highest_accepted_ = promise.accepted_ballot;
    proposal_ = promise.accepted_value;
  }
  if (promised_.size() < majority()) return;
  phase_ = Phase::kAccepting;
  // The round's deadline, set at its start, stands: both phases must fit in round_timeout.
  for (sim::NodeId a : options_.acceptors) ctx.send(a, Accept{ballot_, proposal_});
}

void Proposer::on_accepted(sim::Context& ctx, const sim::Message& message,
                           const Accepted& accepted) {
  if (phase_ != Phase::kAccepting || accepted.ballot != ballot_) return;
  accepted_.insert(message.from);
  if (accepted_.size() < majority()) return;
  phase_ = Phase::kDone;
  ctx.cancel_timer(timer_);
  ghost_->record_decision(kInstance, ctx.name(), proposal_, ctx.observer_time().ns());
  for (sim::NodeId l : options_.learners) ctx.send(l, Decided{ballot_, proposal_});
}

void Proposer::abandon_round(sim::Context& ctx, Ballot seen) {
  highest_round_seen_ = std::max(highest_round_seen_, seen.round);
  phase_ = Phase::kBackoff;
  sim::Duration wait = options_.retry_delay;
  if (options_.randomized_backoff) {
    wait = ctx.random_duration(
        options_.retry_delay,
        options_.retry_delay * (int64_t{2} << std::min(attempts_, kMaxBackoffDoublings)));
  }
  ++attempts_;
  arm(ctx, wait);
}

void Proposer::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* promise = message.payload.as<Promise>()) {
    on_promise(ctx, message, *promise);
  } else if (const auto* accepted = message.payload.as<Accepted>()) {
    on_accepted(ctx, message, *accepted);
  } else if (const auto* nack = message.payload.as<Nack>()) {
    bool current =
        nack->ballot == ballot_ && (phase_ == Phase::kPreparing || phase_ == Phase::kAccepting);
    if (current) {
      abandon_round(ctx, nack->promised);
    } else {
      highest_round_seen_ = std::max(highest_round_seen_, nack->promised.round);
    }
  }
}

void Proposer::on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) {
  (void)tag;
  if (timer != timer_) return;
  if (phase_ == Phase::kIdle || phase_ == Phase::kBackoff) {
    start_round(ctx);
  } else if (phase_ == Phase::kPreparing || phase_ == Phase::kAccepting) {
    abandon_round(ctx, ballot_);  // no majority answered in time: messages lost or nodes down
  }
}

bool Proposer::fingerprint_state(sim::StateHasher& hasher) const {
  const auto node = [](sim::StateHasher& h, sim::NodeId id) { h.add(id); };
  hasher.add(phase_).add(ballot_.word()).add(highest_round_seen_).add(attempts_);
  hasher.add_range(promised_, node).add_range(accepted_, node);
  hasher.add(highest_accepted_.word()).add(proposal_);
  return true;
}

std::string Proposer::describe() const {
  switch (phase_) {
    case Phase::kIdle:
      return "idle";
    case Phase::kPreparing:
      return "phase 1, ballot " + ballot_.text();
    case Phase::kAccepting:
      return "phase 2, ballot " + ballot_.text() + " value " + proposal_;
    case Phase::kBackoff:
      return "backing off after ballot " + ballot_.text();
    case Phase::kDone:
      return "chosen " + proposal_ + " in ballot " + ballot_.text();
  }
  return {};
}

}  // namespace faultline::protocols::paxos
