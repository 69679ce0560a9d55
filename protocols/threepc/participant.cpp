// A 3PC participant and the termination protocol: Skeen, "Nonblocking Commit Protocols" (1981);
// Skeen & Stonebraker (1983) for termination; the quorum variant after Skeen (1982) with the
// ballots of Keidar & Dolev's E3PC (1998).
#include "protocols/threepc/participant.hpp"

namespace faultline::protocols::threepc {
namespace {
const std::string kPrefix = "txn/";
constexpr uint64_t kTimerTick = 0;

bool final_state(State s) {
  return s == State::kCommitted || s == State::kAborted;
}
}  // namespace

void Participant::on_start(sim::Context& ctx) {
  sim::Storage& disk = ctx.storage();
  for (const std::string& key : disk.keys_with_prefix(kPrefix)) {
    Txn& state = txns_[key.substr(kPrefix.size())];
    state.record = *disk.get<TxnRecord>(key);
    state.last_heard = ctx.now();
    state.recovered = !final_state(state.record.state) && state.record.state != State::kInitial;
  }
  ctx.set_timer(options_.round_timeout, kTimerTick);
}

void Participant::store(sim::Context& ctx, const std::string& txn) {
  ctx.storage().put(kPrefix + txn, txns_[txn].record);
  ctx.storage().sync();
}

bool Participant::decided(const std::string& txn) const {
  auto it = txns_.find(txn);
  return it != txns_.end() && final_state(it->second.record.state);
}

void Participant::decide(sim::Context& ctx, const std::string& txn, bool commit) {
  Txn& state = txns_[txn];
  if (final_state(state.record.state)) return;
  state.record.state = commit ? State::kCommitted : State::kAborted;
  state.election.reset();
  store(ctx, txn);
  ghost_->decide(ctx, txn, commit);
}

void Participant::broadcast(sim::Context& ctx, const Txn& state, const sim::Payload& payload) {
  for (const std::string& p : state.record.participants) {
    if (p != ctx.name()) ctx.send(ctx.node_named(p), payload);
  }
}

void Participant::on_can_commit(sim::Context& ctx, const sim::Message& message) {
  const auto& ask = *message.payload.as<CanCommit>();
  Txn& state = txns_[ask.txn];
  state.last_heard = ctx.now();
  if (state.record.state != State::kInitial) {
    if (final_state(state.record.state)) {
      ctx.send(message.from, Outcome{ask.txn, state.record.state == State::kCommitted});
    } else {
      ctx.send(message.from, VoteReply{ask.txn, true});
    }
    return;
  }
  bool yes =
      options_.no_probability <= 0 || ctx.random(1000000) >= options_.no_probability * 1000000;
  state.record.participants = ask.participants;
  ghost_->vote(ctx, ask.txn, yes);
  if (yes) {
    state.record.state = State::kWaiting;
    store(ctx, ask.txn);  // the vote is durable before it leaves
  } else {
    decide(ctx, ask.txn, false);
  }
  ctx.send(message.from, VoteReply{ask.txn, yes});
}

void Participant::on_propose(sim::Context& ctx, const sim::Message& message) {
  const auto& propose = *message.payload.as<Propose>();
  Txn& state = txns_[propose.txn];
  if (final_state(state.record.state)) {
    ctx.send(message.from, Outcome{propose.txn, state.record.state == State::kCommitted});
    return;
  }
  // Never voted: it cannot pre-commit, and an abort proposal it may follow (it aborts itself).
  if (state.record.state == State::kInitial) {
    if (!propose.commit) decide(ctx, propose.txn, false);
    return;
  }
  if (propose.ballot < state.record.promised) return;  // a newer attempt has begun
  state.last_heard = ctx.now();
  state.record.promised = propose.ballot;
  state.record.attempt = propose.ballot;
  state.record.state = propose.commit ? State::kPreCommitted : State::kPreAborted;
  store(ctx, propose.txn);
  ctx.send(message.from, ProposeAck{propose.txn, propose.ballot});
}

void Participant::on_state_request(sim::Context& ctx, const sim::Message& message) {
  const auto& request = *message.payload.as<StateRequest>();
  Txn& state = txns_[request.txn];
  // A participant that has not voted aborts on its own before answering: from now on it votes no.
  if (state.record.state == State::kInitial) decide(ctx, request.txn, false);
  if (final_state(state.record.state)) {
    ctx.send(message.from, Outcome{request.txn, state.record.state == State::kCommitted});
    return;
  }
  if (request.ballot <= state.record.promised) return;
  state.last_heard = ctx.now();
  state.record.promised = request.ballot;
  state.election.reset();  // a newer elector takes over
  store(ctx, request.txn);
  ctx.send(message.from, StateReply{request.txn, request.ballot, state.record.state,
                                    state.record.attempt, state.recovered});
}

void Participant::start_election(sim::Context& ctx, const std::string& txn, Txn& state) {
  Election election;
  // Unique and above every ballot promised here: the round in the high bits, the index low.
  election.ballot = ((state.record.promised >> 8) + 1) << 8 | static_cast<uint64_t>(options_.index);
  election.step_started = ctx.now();
  state.record.promised = election.ballot;
  store(ctx, txn);
  election.replies[ctx.name()] =
      StateReply{txn, election.ballot, state.record.state, state.record.attempt, state.recovered};
  state.election = election;
  ctx.note("coordinator silent on " + txn + ": terminating with ballot " +
           std::to_string(election.ballot));
  broadcast(ctx, state, StateRequest{txn, election.ballot});
  // A restarted site asks the coordinator too: it may have decided while this one was down.
  if (!options_.quorum && state.recovered) {
    ctx.send(ctx.node_named(options_.coordinator), StateRequest{txn, election.ballot});
  }
}

bool Participant::may_decide(const Txn& state) const {
  const Election& e = *state.election;
  for (const auto& [name, reply] : e.replies) {
    if (!reply.recovered) return true;
  }
  return e.coordinator_undecided && e.replies.size() == state.record.participants.size();
}

void Participant::on_state_reply(sim::Context& ctx, const StateReply& reply,
                                 const std::string& from) {
  auto it = txns_.find(reply.txn);
  if (it == txns_.end() || !it->second.election) return;
  Txn& state = it->second;
  if (state.election->ballot != reply.ballot || state.election->proposing) return;
  if (from == options_.coordinator) {
    state.election->coordinator_undecided = true;  // its only StateReply (see Coordinator)
    return;
  }
  state.election->replies[from] = reply;
  if (options_.quorum && state.election->replies.size() >= majority(state)) {
    finish_gathering(ctx, reply.txn, state);
  }
}

// The decision rule of the termination protocol, from the states present.
void Participant::finish_gathering(sim::Context& ctx, const std::string& txn, Txn& state) {
  Election& e = *state.election;
  const StateReply* newest = nullptr;
  for (const auto& [name, r] : e.replies) {
    if ((r.state == State::kPreCommitted || r.state == State::kPreAborted) &&
        (!newest || r.attempt > newest->attempt)) {
      newest = &r;
    }
  }
  e.commit = newest && newest->state == State::kPreCommitted;  // all uncertain: abort
  e.proposing = true;
  e.step_started = ctx.now();
  Propose propose{txn, e.ballot, e.commit, state.record.participants};
  // The elector accepts its own proposal first.
  state.record.attempt = e.ballot;
  state.record.state = e.commit ? State::kPreCommitted : State::kPreAborted;
  store(ctx, txn);
  e.acks.insert(ctx.name());
  for (const auto& [name, r] : e.replies) {
    if (name != ctx.name()) ctx.send(ctx.node_named(name), propose);
  }
  if (!options_.quorum && e.replies.size() == 1) finish_proposing(ctx, txn, state);
}

void Participant::finish_proposing(sim::Context& ctx, const std::string& txn, Txn& state) {
  bool commit = state.election->commit;
  decide(ctx, txn, commit);
  broadcast(ctx, state, Outcome{txn, commit});
  ctx.send(ctx.node_named(options_.coordinator), Outcome{txn, commit});
}

void Participant::on_message(sim::Context& ctx, const sim::Message& message) {
  const std::string& from = ctx.name_of(message.from);
  if (message.payload.as<CanCommit>()) {
    on_can_commit(ctx, message);
  } else if (message.payload.as<Propose>()) {
    on_propose(ctx, message);
  } else if (message.payload.as<StateRequest>()) {
    on_state_request(ctx, message);
  } else if (const auto* reply = message.payload.as<StateReply>()) {
    on_state_reply(ctx, *reply, from);
  } else if (const auto* ack = message.payload.as<ProposeAck>()) {
    auto it = txns_.find(ack->txn);
    if (it == txns_.end() || !it->second.election || !it->second.election->proposing) return;
    Txn& state = it->second;
    if (state.election->ballot != ack->ballot) return;
    state.election->acks.insert(from);
    bool enough = options_.quorum ? state.election->acks.size() >= majority(state)
                                  : state.election->acks.size() == state.election->replies.size();
    if (enough) finish_proposing(ctx, ack->txn, state);
  } else if (const auto* outcome = message.payload.as<Outcome>()) {
    // Even for a transaction not heard of yet: the decision can overtake its can-commit, which
    // is then answered with the decision instead of a vote that would leave this site in doubt.
    decide(ctx, outcome->txn, outcome->commit);
  }
}

void Participant::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  // Fault site: the timer comes late (a stalled process, a descheduled thread), which delays
  // terminations and lets rounds of other electors overtake this one. Re-armed by hand, not with
  // every(): the lateness is this protocol's own fault site, drawn per tick at this line, and a
  // periodic timer's period is fixed (the kernel's general lateness is a pause or a clock drift).
  ctx.set_timer(options_.round_timeout * (ctx.buggify(0.05) ? 20 : 1), kTimerTick);
  const sim::Duration patience =
      options_.in_doubt_timeout + options_.election_stagger * (options_.index - 1);
  for (auto& [txn, state] : txns_) {
    if (final_state(state.record.state) || state.record.state == State::kInitial) continue;
    if (!state.election) {
      if (ctx.now() - state.last_heard >= patience) start_election(ctx, txn, state);
      continue;
    }
    if (ctx.now() - state.election->step_started < options_.round_timeout) continue;
    if (options_.quorum) {
      // No majority in time: try again later with a higher ballot (the minority side blocks).
      state.election.reset();
      state.last_heard = ctx.now();
    } else if (!state.election->proposing) {
      if (may_decide(state)) {
        finish_gathering(ctx, txn, state);  // plain 3PC: the silent ones are taken for crashed
      } else {
        state.election.reset();  // only restarted sites answered: ask again later
        state.last_heard = ctx.now();
      }
    } else {
      finish_proposing(ctx, txn, state);
    }
  }
}

bool Participant::fingerprint_state(sim::StateHasher& hasher) const {
  hasher.add_range(txns_, [](sim::StateHasher& h, const auto& entry) {
    const Txn& t = entry.second;
    h.add(entry.first).add(nlohmann::json(t.record).dump()).add(t.last_heard).add(t.recovered);
    h.add(t.election.has_value());
    if (!t.election) return;
    const Election& e = *t.election;
    h.add(e.ballot).add(e.proposing).add(e.commit);
    h.add_range(e.replies, [](sim::StateHasher& r, const auto& reply) {
      r.add(reply.first).add(nlohmann::json(reply.second).dump());
    });
    h.add_range(e.acks, [](sim::StateHasher& a, const std::string& p) { a.add(p); });
    h.add(e.step_started).add(e.coordinator_undecided);
  });
  return true;
}

std::string Participant::describe() const {
  int in_doubt = 0, committed = 0, aborted = 0;
  for (const auto& [txn, state] : txns_) {
    if (state.record.state == State::kCommitted)
      ++committed;
    else if (state.record.state == State::kAborted)
      ++aborted;
    else if (state.record.state != State::kInitial)
      ++in_doubt;
  }
  return std::to_string(committed) + " committed, " + std::to_string(aborted) + " aborted, " +
         std::to_string(in_doubt) + " in doubt";
}

}  // namespace faultline::protocols::threepc
