// Raft roles, elections and persistence (Ongaro & Ousterhout 2014: §5.1 terms, §5.2 leader
// election, §5.4.1 the election restriction, Figure 2 for the persistent state), with Ongaro's
// thesis §9.6 PreVote and §4.2.3's rule that a server in touch with a leader ignores elections.
#include "protocols/raft/raft_node.hpp"

#include <algorithm>
#include <cstdio>

#include "base/hash.hpp"

namespace faultline::protocols::raft {
namespace {

constexpr uint64_t kElectionTag = 1;
constexpr uint64_t kHeartbeatTag = 2;
const std::string kHardStateKey = "hard";
const std::string kLogPrefix = "log/";

std::string log_key(uint64_t index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "log/%012llu", static_cast<unsigned long long>(index));
  return buffer;
}

// FNV-1a over the entry's rendering, chained: a fingerprint of the whole prefix for the log
// matching invariant (never used by the protocol itself).
uint64_t chain_hash(uint64_t previous, const LogEntry& e) {
  return fnv1a(describe_entry(e), previous ^ kFnvOffset);
}

}  // namespace

void RaftNode::on_start(sim::Context& ctx) {
  load(ctx);
  reload_config(ctx);
  next_index_.assign(options_.servers.size(), 1);
  match_index_.assign(options_.servers.size(), 0);
  acked_round_.assign(options_.servers.size(), 0);
  const bool fresh = hard_.term == 0 && last_index() == 0;
  // A restarted server may have acknowledged a leader's heartbeat just before it crashed; that
  // leader may hold a lease on the strength of it. Waiting an election timeout before voting
  // keeps the promise the acknowledgement made, memory or not.
  if (ignores_elections() && !fresh) leader_contact_ = ctx.now();
  reset_election_timer(ctx, fresh && options_.bootstrap);
}

void RaftNode::load(sim::Context& ctx) {
  sim::Storage& disk = ctx.storage();
  if (const auto* hard = disk.get<HardState>(kHardStateKey)) hard_ = *hard;
  // Keys sort by index; keep the contiguous prefix (a torn crash may keep a later write only).
  for (const std::string& key : disk.keys_with_prefix(kLogPrefix)) {
    if (key != log_key(log_.size())) break;
    const LogEntry& entry = *disk.get<LogEntry>(key);
    prefix_.push_back(chain_hash(prefix_.back(), entry));
    log_.push_back(entry);
  }
}

void RaftNode::persist_hard_state(sim::Context& ctx) {
  HardState stored = hard_;
  // The bug: the vote lives only in memory, so a restart forgets whom it voted for this term.
  if (options_.bug == RaftBug::kVolatileVote) stored.voted_for = -1;
  ctx.storage().put(kHardStateKey, stored);
  ctx.storage().sync();  // a term once seen must never be forgotten (Figure 2)
}

void RaftNode::append_local(sim::Context& ctx, LogEntry entry) {
  ctx.storage().put(log_key(log_.size()), entry);
  prefix_.push_back(chain_hash(prefix_.back(), entry));
  const bool config = !entry.config.empty();
  log_.push_back(std::move(entry));
  if (config) reload_config(ctx);  // a configuration takes effect when appended (§4.1)
}

void RaftNode::truncate_from(sim::Context& ctx, uint64_t index) {
  for (uint64_t i = index; i < log_.size(); ++i) ctx.storage().erase(log_key(i));
  log_.resize(index);
  prefix_.resize(index);
  if (config_index_ >= index) reload_config(ctx);  // back to the configuration before it
}

void RaftNode::reset_election_timer(sim::Context& ctx, bool first_boot) {
  ctx.cancel_timer(election_timer_);
  sim::Duration timeout = first_boot
                              ? options_.election_min / 10
                              : ctx.random_duration(options_.election_min, options_.election_max);
  election_timer_ = ctx.set_timer(timeout, kElectionTag);
}

void RaftNode::on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) {
  if (tag == kElectionTag && timer == election_timer_) {
    if (!is_member(ctx.self())) {
      // Not a voting member (not yet added, or removed): it never stands; it listens.
      reset_election_timer(ctx);
    } else if (role_ != Role::kLeader) {
      if (options_.prevote) {
        start_prevote(ctx);
      } else {
        start_election(ctx);
      }
    }
  } else if (tag == kHeartbeatTag && timer == heartbeat_timer_) {
    if (role_ == Role::kLeader) {
      propose_lease_revokes(ctx);
      if (options_.reads == ReadMode::kLease) start_round(ctx);
      broadcast_append(ctx);
    } else if (role_ == Role::kCandidate) {
      // RPCs are retried while unanswered (§5.1): ask again whoever has not voted yet.
      RequestVote rv{hard_.term, last_index(), log_.back().term};
      for (sim::NodeId peer : members_) {
        if (peer != ctx.self() && !votes_.count(peer)) ctx.send(peer, rv);
      }
    }
    // The next tick is armed already (every()); become_follower cancels the series.
  }
}

void RaftNode::start_election(sim::Context& ctx) {
  precandidate_ = false;
  hard_.term += 1;
  hard_.voted_for = ctx.self();
  role_ = Role::kCandidate;
  leader_ = -1;
  votes_ = {ctx.self()};
  persist_hard_state(ctx);
  ctx.storage().sync();  // a vote for oneself is a vote: durable before anyone counts on it
  reset_election_timer(ctx);
  if (votes_.size() >= majority()) {
    become_leader(ctx);
    return;
  }
  RequestVote rv{hard_.term, last_index(), log_.back().term};
  for (sim::NodeId peer : members_) {
    if (peer != ctx.self()) ctx.send(peer, rv);
  }
  ctx.cancel_timer(heartbeat_timer_);
  heartbeat_timer_ = ctx.every(options_.heartbeat, kHeartbeatTag);
}

void RaftNode::become_follower(sim::Context& ctx, uint64_t term) {
  if (term > hard_.term) {
    hard_.term = term;
    hard_.voted_for = -1;
    persist_hard_state(ctx);
  }
  if (role_ == Role::kLeader) {
    abandon_clients(ctx);
    leases_.end_traces(ctx);
    // A leader runs no election timer; a follower must, or a leader deposed by a vote request
    // it refuses (a stale candidate with a higher term) would never stand again.
    reset_election_timer(ctx);
  }
  role_ = Role::kFollower;
  precandidate_ = false;
  lease_until_.reset();
  ctx.end_interval(kLeaseInterval);
  ctx.cancel_timer(heartbeat_timer_);
}

void RaftNode::become_leader(sim::Context& ctx) {
  role_ = Role::kLeader;
  leader_ = ctx.self();
  ctx.cancel_timer(election_timer_);
  next_index_.assign(options_.servers.size(), last_index() + 1);
  match_index_.assign(options_.servers.size(), 0);
  acked_round_.assign(options_.servers.size(), 0);
  round_sent_.clear();
  lease_until_.reset();
  if (options_.reads == ReadMode::kLease) start_round(ctx);
  ctx.note("leader of term " + std::to_string(hard_.term));
  leases_.restart(kv_, ctx.now(), options_.election_min);
  leases_.trace_all(ctx);
  ghost_->on_elected(ctx.name(), hard_.term, ctx.observer_time().ns());
  if (options_.noop_on_election) {
    append_local(ctx, LogEntry{hard_.term, true, {}});
    ctx.storage().sync();
  }
  broadcast_append(ctx);
  advance_commit(ctx);  // a cluster of one commits alone
  ctx.cancel_timer(heartbeat_timer_);
  heartbeat_timer_ = ctx.every(options_.heartbeat, kHeartbeatTag);
}

bool RaftNode::log_up_to_date(uint64_t last_term, uint64_t last_index_of) const {
  // §5.4.1: the later last term wins; with equal last terms, the longer log.
  if (last_term != log_.back().term) return last_term > log_.back().term;
  return last_index_of >= last_index();
}

bool RaftNode::leader_in_touch(sim::Context& ctx) const {
  if (role_ == Role::kLeader) return true;
  return leader_contact_ && ctx.now() - *leader_contact_ < options_.election_min;
}

void RaftNode::on_request_vote(sim::Context& ctx, const sim::Message& m, const RequestVote& rv) {
  if (ignores_elections() && rv.term > hard_.term && leader_in_touch(ctx)) {
    // §4.2.3: neither the term nor the vote moves while a leader is known to be alive.
    ctx.send(m.from, VoteReply{hard_.term, false});
    return;
  }
  if (rv.term > hard_.term) become_follower(ctx, rv.term);
  const bool free = hard_.voted_for == -1 || hard_.voted_for == static_cast<int64_t>(m.from);
  const bool granted =
      rv.term == hard_.term && free && log_up_to_date(rv.last_log_term, rv.last_log_index);
  if (granted && hard_.voted_for != static_cast<int64_t>(m.from)) {
    hard_.voted_for = static_cast<int64_t>(m.from);
    persist_hard_state(ctx);
  }
  if (granted) reset_election_timer(ctx);
  ctx.storage().sync();  // Figure 2: respond only after currentTerm and votedFor are stable
  ctx.send(m.from, VoteReply{hard_.term, granted});
}

void RaftNode::on_vote_reply(sim::Context& ctx, const sim::Message& m, const VoteReply& reply) {
  if (reply.term > hard_.term) {
    become_follower(ctx, reply.term);
    ctx.storage().sync();
    reset_election_timer(ctx);
    return;
  }
  if (role_ != Role::kCandidate || reply.term != hard_.term || !reply.granted) return;
  votes_.insert(m.from);
  // Only the votes of the configuration in force count (§4.1).
  const size_t counted = static_cast<size_t>(
      std::count_if(votes_.begin(), votes_.end(), [this](sim::NodeId v) { return is_member(v); }));
  if (counted >= majority()) become_leader(ctx);
}

void RaftNode::start_prevote(sim::Context& ctx) {
  precandidate_ = true;
  leader_ = -1;
  prevotes_ = {ctx.self()};
  reset_election_timer(ctx);
  if (prevotes_.size() >= majority()) {
    start_election(ctx);
    return;
  }
  PreVote pv{hard_.term + 1, last_index(), log_.back().term};
  for (sim::NodeId peer : members_) {
    if (peer != ctx.self()) ctx.send(peer, pv);
  }
}

void RaftNode::on_prevote(sim::Context& ctx, const sim::Message& m, const PreVote& pv) {
  // Granted as a real vote would be, minus votedFor: the asker has not stood yet, and nothing
  // here is persisted or changed (thesis §9.6).
  const bool granted = pv.term > hard_.term && !leader_in_touch(ctx) &&
                       log_up_to_date(pv.last_log_term, pv.last_log_index);
  ctx.send(m.from, PreVoteReply{hard_.term, pv.term, granted});
}

void RaftNode::on_prevote_reply(sim::Context& ctx, const sim::Message& m,
                                const PreVoteReply& reply) {
  if (reply.term > hard_.term) {
    become_follower(ctx, reply.term);
    ctx.storage().sync();
    return;
  }
  if (!precandidate_ || role_ == Role::kLeader || reply.asked != hard_.term + 1 || !reply.granted) {
    return;
  }
  if (is_member(m.from)) prevotes_.insert(m.from);
  if (prevotes_.size() >= majority()) start_election(ctx);
}

void RaftNode::on_message(sim::Context& ctx, const sim::Message& m) {
  if (const auto* ae = m.payload.as<AppendEntries>()) {
    on_append_entries(ctx, m, *ae);
  } else if (const auto* reply = m.payload.as<AppendReply>()) {
    on_append_reply(ctx, m, *reply);
  } else if (const auto* rv = m.payload.as<RequestVote>()) {
    on_request_vote(ctx, m, *rv);
  } else if (const auto* vote = m.payload.as<VoteReply>()) {
    on_vote_reply(ctx, m, *vote);
  } else if (const auto* pv = m.payload.as<PreVote>()) {
    on_prevote(ctx, m, *pv);
  } else if (const auto* pre_reply = m.payload.as<PreVoteReply>()) {
    on_prevote_reply(ctx, m, *pre_reply);
  } else if (const auto* change = m.payload.as<MembershipChange>()) {
    on_membership_change(ctx, m, *change);
  } else if (const auto* request = m.payload.as<kv::ClientRequest>()) {
    on_client_request(ctx, m, request->command);
  }
}

std::string RaftNode::describe() const {
  const char* role = role_ == Role::kLeader      ? "leader"
                     : role_ == Role::kCandidate ? "candidate"
                                                 : "follower";
  return std::string(role) + " t" + std::to_string(hard_.term) + " log " +
         std::to_string(last_index()) + " commit " + std::to_string(commit_);
}

}  // namespace faultline::protocols::raft
