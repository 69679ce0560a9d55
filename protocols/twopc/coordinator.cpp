// The 2PC coordinator: Bernstein, Hadzilacos & Goodman, "Concurrency Control and Recovery in
// Database Systems", §7.3 (the protocol) and §7.4 (timeouts and recovery); Gray 1978.
#include "protocols/twopc/coordinator.hpp"

#include "protocols/commit_fingerprint.hpp"
#include "protocols/twopc/messages.hpp"

namespace faultline::protocols::twopc {
namespace {
const std::string kDecisionPrefix = "decision/";
}  // namespace

void Coordinator::on_start(sim::Context& ctx) {
  // Recovery: every logged decision not yet acknowledged by all is sent again (on the timer).
  sim::Storage& disk = ctx.storage();
  for (const std::string& key : disk.keys_with_prefix(kDecisionPrefix)) {
    const auto* record = disk.get<DecisionRecord>(key);
    Txn& state = txns_[key.substr(kDecisionPrefix.size())];
    state.decision = record->commit;
    state.acknowledged = record->acknowledged;
  }
  ctx.every(options_.resend_interval);
}

void Coordinator::begin(sim::Context& ctx, const sim::Message& message) {
  Txn* state = admit_transaction(ctx, message, txns_);
  if (!state) return;  // answered, or a client retry while the votes are being collected
  const std::string& txn = message.payload.as<BeginTransaction>()->txn;
  state->started = ctx.now();
  for (const std::string& p : options_.participants) {
    ctx.send(ctx.node_named(p), Prepare{txn, options_.participants});
  }
}

void Coordinator::on_vote(sim::Context& ctx, const sim::Message& message) {
  const auto& vote = *message.payload.as<Vote>();
  auto it = txns_.find(vote.txn);
  if (it == txns_.end() || it->second.decision) return;
  Txn& state = it->second;
  state.votes[ctx.name_of(message.from)] = vote.yes;
  if (!vote.yes && options_.count_votes) {
    decide(ctx, vote.txn, false);
  } else if (state.votes.size() == options_.participants.size()) {
    bool all_yes = true;
    for (const auto& [p, yes] : state.votes) all_yes = all_yes && yes;
    // The bug's shape: `if (my_vote == yes) commit()`, the participants' answers never read.
    decide(ctx, vote.txn, options_.count_votes ? all_yes : true);
  }
}

bool Coordinator::decide(sim::Context& ctx, const std::string& txn, bool commit) {
  Txn& state = txns_[txn];
  state.decision = commit;
  if (options_.log_decision) {
    // Written before it leaves: after a crash the coordinator must say the same thing again.
    ctx.storage().put(kDecisionPrefix + txn, DecisionRecord{commit, false});
    ctx.storage().sync();
  }
  ghost_->decide(ctx, txn, commit);
  if (crashes_before_sending_decision(ctx)) return false;
  send_decision(ctx, txn, state);
  answer_waiting_clients(ctx, txn, state);
  return true;
}

void Coordinator::send_decision(sim::Context& ctx, const std::string& txn, const Txn& state) {
  for (const std::string& p : options_.participants) {
    if (!state.acked.count(p)) ctx.send(ctx.node_named(p), Decision{txn, *state.decision});
  }
}

void Coordinator::on_message(sim::Context& ctx, const sim::Message& message) {
  if (message.payload.as<BeginTransaction>()) {
    begin(ctx, message);
  } else if (message.payload.as<Vote>()) {
    on_vote(ctx, message);
  } else if (const auto* ack = message.payload.as<DecisionAck>()) {
    auto it = txns_.find(ack->txn);
    if (it == txns_.end() || !it->second.decision || it->second.acknowledged) return;
    Txn& state = it->second;
    state.acked.insert(ctx.name_of(message.from));
    if (state.acked.size() == options_.participants.size()) {
      state.acknowledged = true;  // the record may be forgotten; here it is only marked
      if (options_.log_decision) {
        ctx.storage().put(kDecisionPrefix + ack->txn, DecisionRecord{*state.decision, true});
      }
    }
  } else if (const auto* query = message.payload.as<DecisionQuery>()) {
    Txn& state = txns_[query->txn];
    // No decision and no vote collection under way: this coordinator never sent a commit it did
    // not log, so abort is safe (presumed abort), and logged so that it is never reversed.
    if (!state.decision && state.votes.empty() && state.waiting_clients.empty()) {
      ctx.note("no decision logged for " + query->txn + ": presuming abort");
      if (!decide(ctx, query->txn, false)) return;
    }
    if (state.decision) {
      ctx.send(message.from, DecisionAnswer{query->txn, *state.decision ? "commit" : "abort"});
    }
  }
}

void Coordinator::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  for (auto& [txn, state] : txns_) {
    if (!state.decision) {
      if (ctx.now() - state.started >= options_.vote_timeout) {
        // A missing vote counts as no (a participant that cannot vote cannot commit); the buggy
        // coordinator commits on its own yes all the same.
        if (!decide(ctx, txn, !options_.count_votes)) return;
      }
    } else if (!state.acknowledged) {
      send_decision(ctx, txn, state);
    }
  }
}

bool Coordinator::fingerprint_state(sim::StateHasher& hasher) const {
  hasher.add_range(txns_, [](sim::StateHasher& h, const auto& entry) {
    const Txn& t = entry.second;
    hash_commit_transaction(h, entry.first, t);
    h.add_range(t.acked, [](sim::StateHasher& a, const std::string& p) { a.add(p); });
    h.add(t.acknowledged).add(t.started);
  });
  return true;
}

std::string Coordinator::describe() const {
  int open = 0, decided = 0;
  for (const auto& [txn, state] : txns_) ++(state.decision ? decided : open);
  return std::to_string(decided) + " decided, " + std::to_string(open) + " collecting votes";
}

}  // namespace faultline::protocols::twopc
