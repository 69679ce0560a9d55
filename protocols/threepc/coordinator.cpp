// The 3PC coordinator: Skeen, "Nonblocking Commit Protocols" (SIGMOD 1981), §4; the quorum rule
// after Skeen, "A Quorum-Based Commit Protocol" (1982).
#include "protocols/threepc/coordinator.hpp"

#include "protocols/commit_fingerprint.hpp"
#include "protocols/threepc/messages.hpp"

namespace faultline::protocols::threepc {
namespace {
const std::string kPrefix = "decision/";
}  // namespace

void Coordinator::on_start(sim::Context& ctx) {
  sim::Storage& disk = ctx.storage();
  for (const std::string& key : disk.keys_with_prefix(kPrefix)) {
    const CoordinatorRecord record = *disk.get<CoordinatorRecord>(key);
    Txn& state = txns_[key.substr(kPrefix.size())];
    if (record.decided) {
      state.decision = record.commit;
    } else {
      state.passive = true;
    }
  }
  ctx.every(options_.resend_interval);
}

void Coordinator::begin(sim::Context& ctx, const sim::Message& message) {
  Txn* state = admit_transaction(ctx, message, txns_);
  if (!state) return;  // answered, or a client retry while the transaction runs
  const std::string& txn = message.payload.as<BeginTransaction>()->txn;
  ctx.storage().put(kPrefix + txn, CoordinatorRecord{.decided = false});
  ctx.storage().sync();
  state->step_started = ctx.now();
  for (const std::string& p : options_.participants) {
    ctx.send(ctx.node_named(p), CanCommit{txn, options_.participants});
  }
}

void Coordinator::on_vote(sim::Context& ctx, const std::string& from, const std::string& txn,
                          bool yes) {
  auto it = txns_.find(txn);
  if (it == txns_.end() || it->second.decision || it->second.pre_committing || it->second.passive) {
    return;
  }
  Txn& state = it->second;
  state.votes[from] = yes;
  if (!yes) {
    decide(ctx, txn, false);
    return;
  }
  if (state.votes.size() < options_.participants.size()) return;
  state.pre_committing = true;
  state.step_started = ctx.now();
  for (const std::string& p : options_.participants) {
    ctx.send(ctx.node_named(p), Propose{txn, 0, true, options_.participants});
  }
}

bool Coordinator::decide(sim::Context& ctx, const std::string& txn, bool commit) {
  Txn& state = txns_[txn];
  if (state.decision) return true;
  state.decision = commit;
  ctx.storage().put(kPrefix + txn, CoordinatorRecord{.decided = true, .commit = commit});
  ctx.storage().sync();
  ghost_->decide(ctx, txn, commit);
  if (crashes_before_sending_decision(ctx)) return false;
  for (const std::string& p : options_.participants) {
    ctx.send(ctx.node_named(p), Outcome{txn, commit});
  }
  answer_waiting_clients(ctx, txn, state);
  return true;
}

void Coordinator::on_message(sim::Context& ctx, const sim::Message& message) {
  const std::string& from = ctx.name_of(message.from);
  if (message.payload.as<BeginTransaction>()) {
    begin(ctx, message);
  } else if (const auto* vote = message.payload.as<VoteReply>()) {
    on_vote(ctx, from, vote->txn, vote->yes);
  } else if (const auto* ack = message.payload.as<ProposeAck>()) {
    auto it = txns_.find(ack->txn);
    if (it == txns_.end() || it->second.decision || it->second.passive || ack->ballot != 0) {
      return;
    }
    it->second.acks.insert(from);
    size_t needed =
        options_.quorum ? options_.participants.size() / 2 + 1 : options_.participants.size();
    if (it->second.acks.size() >= needed) decide(ctx, ack->txn, true);
  } else if (const auto* outcome = message.payload.as<Outcome>()) {
    // A participant decided already (it voted no, or a termination decided): adopt it.
    auto it = txns_.find(outcome->txn);
    if (it != txns_.end()) decide(ctx, outcome->txn, outcome->commit);
  } else if (const auto* request = message.payload.as<StateRequest>()) {
    answer_state_request(ctx, message.from, *request);
  }
}

// A participant that restarted in doubt asks: the decision if there is one; that this
// coordinator has not decided and never will on its own if it never began the transaction or is
// passive about it (a StateReply in the initial state says so); nothing while it is still
// deciding (its decision will be sent).
void Coordinator::answer_state_request(sim::Context& ctx, sim::NodeId from,
                                       const StateRequest& request) {
  auto it = txns_.find(request.txn);
  if (it != txns_.end() && it->second.decision) {
    ctx.send(from, Outcome{request.txn, *it->second.decision});
  } else if (it == txns_.end() || it->second.passive) {
    ctx.send(from, StateReply{request.txn, request.ballot, State::kInitial, 0, false});
  }
}

void Coordinator::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  for (auto& [txn, state] : txns_) {
    if (state.decision) continue;
    if (state.passive) {
      if (options_.ask_when_passive) ask_outcome(ctx, txn);
      continue;
    }
    if (!state.pre_committing) {
      if (ctx.now() - state.step_started >= options_.vote_timeout && !decide(ctx, txn, false)) {
        return;
      }
    } else if (!options_.quorum) {
      if (ctx.now() - state.step_started >= options_.ack_timeout) {
        // Skeen's rule: a participant that does not ack has crashed; it will learn on recovery.
        if (!decide(ctx, txn, true)) return;
      }
    } else {
      for (const std::string& p : options_.participants) {
        if (!state.acks.count(p)) {
          ctx.send(ctx.node_named(p), Propose{txn, 0, true, options_.participants});
        }
      }
    }
  }
}

// A passive transaction's outcome is decided by the participants (their termination protocol, or
// their own abort) and sent to this coordinator once, which may have been down then. So it asks,
// until one answers with the outcome and its client can be answered. A ballot-0 StateRequest
// takes no part in any termination (every ballot promised is at least 0): a decided participant
// answers with the outcome, one that never voted aborts and says so (the transaction can then
// never commit), and one in doubt stays silent until its termination decides.
void Coordinator::ask_outcome(sim::Context& ctx, const std::string& txn) {
  for (const std::string& p : options_.participants) {
    ctx.send(ctx.node_named(p), StateRequest{txn, 0});
  }
}

bool Coordinator::fingerprint_state(sim::StateHasher& hasher) const {
  hasher.add_range(txns_, [](sim::StateHasher& h, const auto& entry) {
    const Txn& t = entry.second;
    hash_commit_transaction(h, entry.first, t);
    h.add(t.pre_committing);
    h.add_range(t.acks, [](sim::StateHasher& a, const std::string& p) { a.add(p); });
    h.add(t.step_started).add(t.passive);
  });
  return true;
}

std::string Coordinator::describe() const {
  int open = 0, decided = 0;
  for (const auto& [txn, state] : txns_) ++(state.decision ? decided : open);
  return std::to_string(decided) + " decided, " + std::to_string(open) + " open";
}

}  // namespace faultline::protocols::threepc
