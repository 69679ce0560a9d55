// A 2PC participant: Bernstein, Hadzilacos & Goodman, "Concurrency Control and Recovery in
// Database Systems", §7.3 (the protocol) and §7.4 (timeouts, cooperative termination, recovery).
#include "protocols/twopc/participant.hpp"

#include "protocols/twopc/messages.hpp"

namespace faultline::protocols::twopc {
namespace {
const std::string kVotePrefix = "vote/";
const std::string kDecisionPrefix = "decision/";
}  // namespace

void Participant::on_start(sim::Context& ctx) {
  // Recovery (§7.4): a logged decision stands; a logged yes vote without one means in doubt.
  sim::Storage& disk = ctx.storage();
  for (const std::string& key : disk.keys_with_prefix(kVotePrefix)) {
    const auto* record = disk.get<VoteRecord>(key);
    Txn& state = txns_[key.substr(kVotePrefix.size())];
    state.vote = record->yes;
    state.participants = record->participants;
    state.in_doubt_since = ctx.now();
  }
  for (const std::string& key : disk.keys_with_prefix(kDecisionPrefix)) {
    txns_[key.substr(kDecisionPrefix.size())].decision = disk.get<DecisionRecord>(key)->commit;
  }
  ctx.every(options_.query_interval);
}

void Participant::on_prepare(sim::Context& ctx, const sim::Message& message) {
  const auto& prepare = *message.payload.as<Prepare>();
  Txn& state = txns_[prepare.txn];
  if (state.decision && !*state.decision) {
    ctx.send(message.from, Vote{prepare.txn, false});  // aborted already: the vote stays no
    return;
  }
  if (state.vote) {
    ctx.send(message.from, Vote{prepare.txn, *state.vote});  // the coordinator asks again
    return;
  }
  bool yes = !options_.always_no && (options_.no_probability <= 0 ||
                                     ctx.random(1000000) >= options_.no_probability * 1000000);
  state.vote = yes;
  state.participants = prepare.participants;
  state.in_doubt_since = ctx.now();
  if (yes) {
    // The vote is a promise to commit if told to: it must survive a crash before it is sent.
    ctx.storage().put(kVotePrefix + prepare.txn, VoteRecord{true, prepare.participants});
    ctx.storage().sync();
    ghost_->vote(ctx, prepare.txn, true);
  } else {
    ghost_->vote(ctx, prepare.txn, false);
    decide(ctx, prepare.txn, false);  // a no vote is a unilateral abort
  }
  ctx.send(message.from, Vote{prepare.txn, yes});
}

void Participant::decide(sim::Context& ctx, const std::string& txn, bool commit) {
  Txn& state = txns_[txn];
  if (state.decision) return;
  state.decision = commit;
  ctx.storage().put(kDecisionPrefix + txn, DecisionRecord{commit, false});
  ctx.storage().sync();
  ghost_->decide(ctx, txn, commit);
}

// What this participant can tell another about txn. One that has not voted aborts on its own
// first (§7.4): from then on it will vote no, so abort is safe for everyone.
std::string Participant::status(sim::Context& ctx, const std::string& txn) {
  Txn& state = txns_[txn];
  if (!state.decision && !state.vote) decide(ctx, txn, false);
  if (state.decision) return *state.decision ? "commit" : "abort";
  return "uncertain";
}

void Participant::on_message(sim::Context& ctx, const sim::Message& message) {
  if (message.payload.as<Prepare>()) {
    on_prepare(ctx, message);
  } else if (const auto* decision = message.payload.as<Decision>()) {
    decide(ctx, decision->txn, decision->commit);
    ctx.send(message.from, DecisionAck{decision->txn});
  } else if (const auto* query = message.payload.as<DecisionQuery>()) {
    ctx.send(message.from, DecisionAnswer{query->txn, status(ctx, query->txn)});
  } else if (const auto* answer = message.payload.as<DecisionAnswer>()) {
    if (answer->status == "commit" || answer->status == "abort") {
      auto it = txns_.find(answer->txn);
      if (it != txns_.end() && it->second.vote)
        decide(ctx, answer->txn, answer->status == "commit");
    }
  }
}

// Cooperative termination (§7.4): ask the coordinator first; from the second round on, every
// other participant too, since one of them may have heard the decision.
void Participant::ask_around(sim::Context& ctx, const std::string& txn, Txn& state) {
  ctx.send(ctx.node_named(options_.coordinator), DecisionQuery{txn});
  if (state.queries++ == 0) return;
  for (const std::string& peer : state.participants) {
    if (peer != ctx.name()) ctx.send(ctx.node_named(peer), DecisionQuery{txn});
  }
}

void Participant::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  for (auto& [txn, state] : txns_) {
    if (state.decision || !state.vote || !*state.vote) continue;
    if (ctx.now() - state.in_doubt_since < options_.in_doubt_timeout) continue;
    if (options_.abort_when_in_doubt) {
      ctx.note("in doubt on " + txn + " too long: aborting on its own (the bug)");
      decide(ctx, txn, false);
    } else {
      ask_around(ctx, txn, state);
    }
  }
}

bool Participant::fingerprint_state(sim::StateHasher& hasher) const {
  hasher.add_range(txns_, [](sim::StateHasher& h, const auto& entry) {
    const Txn& t = entry.second;
    h.add(entry.first).add(t.vote).add(t.decision);
    h.add_range(t.participants, [](sim::StateHasher& p, const std::string& name) { p.add(name); });
    h.add(t.in_doubt_since).add(t.queries);
  });
  return true;
}

std::string Participant::describe() const {
  int in_doubt = 0, committed = 0, aborted = 0;
  for (const auto& [txn, state] : txns_) {
    if (state.decision) {
      ++(*state.decision ? committed : aborted);
    } else if (state.vote && *state.vote) {
      ++in_doubt;
    }
  }
  return std::to_string(committed) + " committed, " + std::to_string(aborted) + " aborted, " +
         std::to_string(in_doubt) + " in doubt";
}

}  // namespace faultline::protocols::twopc
