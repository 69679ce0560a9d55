// Multi-Paxos phase 2, learning and the kv service on top: Lamport, "Paxos Made Simple", 2001,
// §2.3 (learning a chosen value) and §3 (the state machine applies commands in slot order);
// van Renesse & Altinbuken, "Paxos Made Moderately Complex", 2015, for replicas that learn
// slots they missed from their peers.
#include <algorithm>

#include "protocols/paxos/multi_paxos_server.hpp"

namespace faultline::protocols::paxos {
namespace {

// The epoch under which a leader parked a client's request: answered ok only if the slot is
// chosen in the same ballot, i.e. with the value this leader put there.
uint64_t epoch_of(const Ballot& b) {
  return (b.round << 16) | b.proposer;
}

}  // namespace

void MultiPaxosServer::propose(sim::Context& ctx, uint64_t slot, const SlotValue& value) {
  proposals_[slot] = Proposal{value, {}};
  for (sim::NodeId peer : options_.servers) send_accept(ctx, peer, slot, value);
}

void MultiPaxosServer::send_accept(sim::Context& ctx, sim::NodeId to, uint64_t slot,
                                   const SlotValue& value) {
  const SlotAccept accept{ballot_, slot, value};
  if (to != ctx.self()) {
    ctx.send(to, accept);
    return;
  }
  // Our own acceptor answers at once, through the same rules and the same disk.
  if (!acceptor_.accept(ctx.storage(), accept)) return;
  ghost_->record_accept(slot, ctx.name(), ballot_, value, ctx.observer_time().ns());
  on_accepted(ctx, ctx.self(), SlotAccepted{ballot_, slot});
}

void MultiPaxosServer::on_accept(sim::Context& ctx, const sim::Message& m,
                                 const SlotAccept& accept) {
  observe(ctx, accept.ballot);
  if (!acceptor_.accept(ctx.storage(), accept)) {
    ctx.send(m.from, MultiNack{accept.ballot, acceptor_.promised()});
    return;
  }
  ghost_->record_accept(accept.slot, ctx.name(), accept.ballot, accept.value,
                        ctx.observer_time().ns());
  if (role_ == Role::kFollower) {
    leader_ = static_cast<int64_t>(m.from);
    arm_takeover(ctx);
  }
  ctx.send(m.from, SlotAccepted{accept.ballot, accept.slot});
}

void MultiPaxosServer::on_accepted(sim::Context& ctx, sim::NodeId from,
                                   const SlotAccepted& accepted) {
  if (role_ != Role::kLeader || accepted.ballot != ballot_) return;
  auto it = proposals_.find(accepted.slot);
  if (it == proposals_.end()) return;
  it->second.accepted.insert(from);
  if (it->second.accepted.size() < majority()) return;
  const SlotChosen chosen{accepted.slot, ballot_, it->second.value};
  proposals_.erase(it);
  for (sim::NodeId peer : options_.servers) {
    if (peer != ctx.self()) ctx.send(peer, chosen);
  }
  learn(ctx, chosen);
}

void MultiPaxosServer::learn(sim::Context& ctx, const SlotChosen& chosen) {
  // Every announcement is recorded, not only the first: a second value for a slot is the bug.
  ghost_->record_learn(chosen.slot, ctx.name(), chosen.value, ctx.observer_time().ns());
  if (chosen.slot <= applied_ || !chosen_.emplace(chosen.slot, chosen).second) return;
  // A slot chosen while we were leading some other ballot is no longer ours to propose.
  proposals_.erase(chosen.slot);
  for (auto it = chosen_.find(applied_ + 1); it != chosen_.end() && it->first == applied_ + 1;
       it = chosen_.find(applied_ + 1)) {
    ++applied_;
    const SlotChosen& c = it->second;
    kv::KvResult result;
    if (!c.value.noop) result = kv_.apply(c.value.command);
    if (role_ == Role::kLeader) pending_.applied(ctx, applied_, epoch_of(c.ballot), result);
  }
}

void MultiPaxosServer::on_catch_up_request(sim::Context& ctx, const sim::Message& m,
                                           const CatchUpRequest& request) {
  CatchUpReply reply;
  for (auto it = chosen_.lower_bound(request.from_slot);
       it != chosen_.end() && reply.chosen.size() < options_.catch_up_batch; ++it) {
    reply.chosen.push_back(it->second);
  }
  if (!reply.chosen.empty()) ctx.send(m.from, std::move(reply));
}

void MultiPaxosServer::on_client_request(sim::Context& ctx, const sim::Message& m,
                                         const kv::KvCommand& command) {
  if (role_ != Role::kLeader) {
    ctx.reply(m, kv::ClientReply{"not-leader", "", leader_});
    return;
  }
  if (command.f == "get" && options_.bug == MultiPaxosBug::kLocalReads) {
    ctx.reply(m, kv::ClientReply{"ok", kv_.read(command.key), ctx.self()});
    return;
  }
  // Reads go through the log too: a slot's order is what makes a get linearizable, and a
  // deposed leader cannot get a slot chosen.
  const uint64_t slot = next_slot_++;
  pending_.wait(slot, epoch_of(ballot_), m);
  propose(ctx, slot, SlotValue{false, command});
}

}  // namespace faultline::protocols::paxos
