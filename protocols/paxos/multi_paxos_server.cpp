// Multi-Paxos leadership: Lamport, "Paxos Made Simple", 2001, §3 (a distinguished proposer that
// runs phase 1 once for all instances, and fills gaps with no-ops) and §2.4 (electing it with
// timeouts: randomized, so that two candidates rarely keep pre-empting each other).
#include <algorithm>

#include "protocols/paxos/multi_paxos_server.hpp"

namespace faultline::protocols::paxos {
namespace {
constexpr uint64_t kTakeoverTag = 1;
constexpr uint64_t kHeartbeatTag = 2;
}  // namespace

void MultiPaxosServer::on_start(sim::Context& ctx) {
  acceptor_.load(ctx.storage());
  highest_round_seen_ = acceptor_.promised().round;
  arm_takeover(ctx, true);
  // Everything learnt was volatile: start catching up from any peer at once, leader or not.
  if (options_.servers.size() > 1) {
    sim::NodeId peer = ctx.self();
    while (peer == ctx.self()) peer = options_.servers[ctx.random(options_.servers.size())];
    ctx.send(peer, CatchUpRequest{1});
  }
}

void MultiPaxosServer::arm_takeover(sim::Context& ctx, bool first_boot) {
  ctx.cancel_timer(takeover_timer_);
  sim::Duration wait = ctx.random_duration(options_.takeover_min, options_.takeover_max);
  if (first_boot && options_.bootstrap) wait = options_.takeover_min / 10;
  takeover_timer_ = ctx.set_timer(wait, kTakeoverTag);
}

void MultiPaxosServer::start_phase1(sim::Context& ctx) {
  pending_.abandon(ctx, -1);
  proposals_.clear();
  role_ = Role::kCandidate;
  leader_ = -1;
  highest_round_seen_ = std::max(highest_round_seen_, acceptor_.promised().round);
  ballot_ = Ballot{highest_round_seen_ + 1, options_.index};
  highest_round_seen_ = ballot_.round;
  // Everything below is learnt here already; phase 1 is for the slots we may not know.
  from_slot_ = chosen_below();
  promised_by_.clear();
  adopted_.clear();
  const MultiPrepare prepare{ballot_, from_slot_};
  // Our own promise first, synced: a restart then never picks this ballot again.
  if (auto own = acceptor_.prepare(ctx.storage(), prepare)) on_promise(ctx, ctx.self(), *own);
  for (sim::NodeId peer : options_.servers) {
    if (peer != ctx.self()) ctx.send(peer, prepare);
  }
  arm_takeover(ctx);  // no majority in time: try again with a higher ballot
}

void MultiPaxosServer::on_prepare(sim::Context& ctx, const sim::Message& m,
                                  const MultiPrepare& prepare) {
  observe(ctx, prepare.ballot);
  if (auto promise = acceptor_.prepare(ctx.storage(), prepare)) {
    // A candidate we promised is as good as a leader: give it time before we campaign.
    arm_takeover(ctx);
    ctx.send(m.from, std::move(*promise));
  } else {
    ctx.send(m.from, MultiNack{prepare.ballot, acceptor_.promised()});
  }
}

void MultiPaxosServer::on_promise(sim::Context& ctx, sim::NodeId from,
                                  const MultiPromise& promise) {
  if (role_ != Role::kCandidate || promise.ballot != ballot_) return;
  for (const SlotVote& vote : promise.votes) {
    if (vote.slot < from_slot_) continue;
    auto [it, fresh] = adopted_.emplace(vote.slot, vote);
    // Phase 2a's rule, per slot: the value of the highest-numbered proposal reported.
    if (!fresh && vote.ballot > it->second.ballot) it->second = vote;
  }
  promised_by_.insert(from);
  if (promised_by_.size() >= majority()) become_leader(ctx);
}

void MultiPaxosServer::become_leader(sim::Context& ctx) {
  role_ = Role::kLeader;
  leader_ = static_cast<int64_t>(ctx.self());
  ++ghost_->leaders_elected;
  ctx.cancel_timer(takeover_timer_);
  uint64_t last = std::max(from_slot_ - 1, chosen_.empty() ? 0 : chosen_.rbegin()->first);
  if (options_.bug == MultiPaxosBug::kTrustOwnLog) {
    // The bug: what lies beyond our own log is taken to be empty, whatever the promises said.
    last = std::max(last, acceptor_.last_voted_slot());
  } else if (!adopted_.empty()) {
    last = std::max(last, adopted_.rbegin()->first);
  }
  // Re-propose every slot we have not learnt: a reported value may be chosen already, and a
  // slot nobody reported gets a no-op so that later slots can be applied.
  for (uint64_t slot = from_slot_; slot <= last; ++slot) {
    if (chosen_.count(slot)) continue;
    auto it = adopted_.find(slot);
    propose(ctx, slot, it == adopted_.end() ? SlotValue{true, {}} : it->second.value);
  }
  next_slot_ = last + 1;
  adopted_.clear();
  send_heartbeats(ctx);
  // Heartbeats for as long as it leads: step_down cancels the series.
  ctx.cancel_timer(heartbeat_timer_);
  heartbeat_timer_ = ctx.every(options_.heartbeat, kHeartbeatTag);
}

void MultiPaxosServer::send_heartbeats(sim::Context& ctx) {
  for (sim::NodeId peer : options_.servers) {
    if (peer != ctx.self()) ctx.send(peer, LeaderHeartbeat{ballot_, chosen_below()});
  }
  // Accepts lost on the way (or to a server that was down) are sent again.
  for (const auto& [slot, proposal] : proposals_) {
    for (sim::NodeId peer : options_.servers) {
      if (!proposal.accepted.count(peer)) send_accept(ctx, peer, slot, proposal.value);
    }
  }
}

void MultiPaxosServer::on_heartbeat(sim::Context& ctx, const sim::Message& m,
                                    const LeaderHeartbeat& hb) {
  if (hb.ballot < acceptor_.promised()) {
    ctx.send(m.from, MultiNack{hb.ballot, acceptor_.promised()});  // a deposed leader learns it
    return;
  }
  observe(ctx, hb.ballot);
  if (role_ != Role::kFollower) return;  // our own ballot is at least as high: we campaign on
  leader_ = static_cast<int64_t>(m.from);
  arm_takeover(ctx);
  if (hb.chosen_below > chosen_below()) ctx.send(m.from, CatchUpRequest{chosen_below()});
}

void MultiPaxosServer::on_nack(sim::Context& ctx, const MultiNack& nack) {
  highest_round_seen_ = std::max(highest_round_seen_, nack.promised.round);
  if (role_ != Role::kFollower && nack.ballot == ballot_ && nack.promised > ballot_) {
    step_down(ctx);
  }
}

void MultiPaxosServer::observe(sim::Context& ctx, const Ballot& seen) {
  highest_round_seen_ = std::max(highest_round_seen_, seen.round);
  if (role_ != Role::kFollower && seen > ballot_) step_down(ctx);
}

void MultiPaxosServer::step_down(sim::Context& ctx) {
  role_ = Role::kFollower;
  leader_ = -1;
  proposals_.clear();
  adopted_.clear();
  pending_.abandon(ctx, -1);
  ctx.cancel_timer(heartbeat_timer_);
  arm_takeover(ctx);
}

void MultiPaxosServer::on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) {
  if (tag == kTakeoverTag && timer == takeover_timer_ && role_ != Role::kLeader) {
    start_phase1(ctx);
  } else if (tag == kHeartbeatTag && timer == heartbeat_timer_ && role_ == Role::kLeader) {
    send_heartbeats(ctx);
  }
}

void MultiPaxosServer::on_message(sim::Context& ctx, const sim::Message& m) {
  if (const auto* accept = m.payload.as<SlotAccept>()) {
    on_accept(ctx, m, *accept);
  } else if (const auto* accepted = m.payload.as<SlotAccepted>()) {
    on_accepted(ctx, m.from, *accepted);
  } else if (const auto* chosen = m.payload.as<SlotChosen>()) {
    learn(ctx, *chosen);
  } else if (const auto* hb = m.payload.as<LeaderHeartbeat>()) {
    on_heartbeat(ctx, m, *hb);
  } else if (const auto* prepare = m.payload.as<MultiPrepare>()) {
    on_prepare(ctx, m, *prepare);
  } else if (const auto* promise = m.payload.as<MultiPromise>()) {
    on_promise(ctx, m.from, *promise);
  } else if (const auto* nack = m.payload.as<MultiNack>()) {
    on_nack(ctx, *nack);
  } else if (const auto* request = m.payload.as<CatchUpRequest>()) {
    on_catch_up_request(ctx, m, *request);
  } else if (const auto* reply = m.payload.as<CatchUpReply>()) {
    for (const SlotChosen& c : reply->chosen) learn(ctx, c);
    // A full batch: the peer may know more.
    if (reply->chosen.size() >= options_.catch_up_batch) {
      ctx.send(m.from, CatchUpRequest{chosen_below()});
    }
  } else if (const auto* client = m.payload.as<kv::ClientRequest>()) {
    on_client_request(ctx, m, client->command);
  }
}

std::string MultiPaxosServer::describe() const {
  const char* role = role_ == Role::kLeader      ? "leader"
                     : role_ == Role::kCandidate ? "candidate"
                                                 : "follower";
  std::string out = std::string(role);
  if (role_ != Role::kFollower) out += " " + ballot_.text();
  return out + ", promised " + acceptor_.promised().text() + ", learnt below " +
         std::to_string(chosen_below());
}

}  // namespace faultline::protocols::paxos
