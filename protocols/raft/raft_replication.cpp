// Raft log replication and the kv service on top (Ongaro & Ousterhout 2014: §5.3 log
// replication, §5.4.2 committing entries from previous terms, §8 client interaction; Ongaro's
// thesis §6.4 for ReadIndex reads).
#include <algorithm>

#include "protocols/raft/raft_node.hpp"

namespace faultline::protocols::raft {
namespace {

size_t position(const std::vector<sim::NodeId>& servers, sim::NodeId node) {
  return static_cast<size_t>(std::find(servers.begin(), servers.end(), node) - servers.begin());
}

}  // namespace

void RaftNode::send_append(sim::Context& ctx, sim::NodeId peer) {
  const size_t p = position(options_.servers, peer);
  const uint64_t next = std::min(next_index_[p], last_index() + 1);
  AppendEntries ae;
  ae.term = hard_.term;
  ae.prev_log_index = next - 1;
  ae.prev_log_term = log_[next - 1].term;
  const uint64_t end = std::min<uint64_t>(log_.size(), next + options_.max_batch);
  ae.entries.assign(log_.begin() + static_cast<std::ptrdiff_t>(next),
                    log_.begin() + static_cast<std::ptrdiff_t>(end));
  ae.leader_commit = commit_;
  ae.round = round_;
  ctx.send(peer, std::move(ae));
}

void RaftNode::broadcast_append(sim::Context& ctx) {
  // The configuration in force, committed or not: a server being added gets entries at once.
  for (sim::NodeId peer : members_) {
    if (peer != ctx.self()) send_append(ctx, peer);
  }
}

void RaftNode::on_append_entries(sim::Context& ctx, const sim::Message& m,
                                 const AppendEntries& ae) {
  if (ae.term < hard_.term) {
    ctx.send(m.from, AppendReply{hard_.term, false, 0, ae.round});
    return;
  }
  // A current leader exists: candidates of this term and stale leaders step down (§5.2).
  become_follower(ctx, ae.term);
  leader_ = static_cast<int64_t>(m.from);
  leader_contact_ = ctx.now();
  reset_election_timer(ctx);
  if (ae.prev_log_index > last_index() || log_[ae.prev_log_index].term != ae.prev_log_term) {
    ctx.storage().sync();
    // Consistency check failed (§5.3): hint where to back up to.
    uint64_t hint = std::min(last_index(), ae.prev_log_index == 0 ? 0 : ae.prev_log_index - 1);
    ctx.send(m.from, AppendReply{hard_.term, false, hint, ae.round});
    return;
  }
  uint64_t index = ae.prev_log_index;
  for (const LogEntry& entry : ae.entries) {
    ++index;
    if (index <= last_index() && log_[index].term == entry.term) continue;
    // A conflicting entry and all that follow it go (§5.3); a stale, reordered AppendEntries
    // that matches never truncates.
    if (index <= last_index()) truncate_from(ctx, index);
    append_local(ctx, entry);
  }
  ctx.storage().sync();  // Figure 2: entries are stable before the reply acknowledges them
  const uint64_t last_new = ae.prev_log_index + ae.entries.size();
  if (ae.leader_commit > commit_) commit_ = std::max(commit_, std::min(ae.leader_commit, last_new));
  apply_committed(ctx);
  ctx.send(m.from, AppendReply{hard_.term, true, last_new, ae.round});
}

void RaftNode::on_append_reply(sim::Context& ctx, const sim::Message& m, const AppendReply& reply) {
  if (reply.term > hard_.term) {
    become_follower(ctx, reply.term);
    ctx.storage().sync();
    reset_election_timer(ctx);
    return;
  }
  if (role_ != Role::kLeader || reply.term != hard_.term) return;
  const size_t p = position(options_.servers, m.from);
  acked_round_[p] = std::max(acked_round_[p], reply.round);
  if (options_.reads == ReadMode::kLease) extend_lease(ctx);
  if (reply.success) {
    match_index_[p] = std::max(match_index_[p], reply.match_index);
    next_index_[p] = std::max(next_index_[p], match_index_[p] + 1);
    advance_commit(ctx);
    if (next_index_[p] <= last_index()) send_append(ctx, m.from);
  } else {
    next_index_[p] = std::max<uint64_t>(1, std::min(next_index_[p] - 1, reply.match_index + 1));
    send_append(ctx, m.from);
  }
  serve_reads(ctx);
}

void RaftNode::advance_commit(sim::Context& ctx) {
  // A leader that removed itself still replicates, but does not count itself (§4.2.2).
  match_index_[position(options_.servers, ctx.self())] = is_member(ctx.self()) ? last_index() : 0;
  for (uint64_t n = last_index(); n > commit_; --n) {
    // §5.4.2: only an entry of the current term is committed by counting replicas; earlier ones
    // follow it by the Log Matching Property. The bug counts replicas of any term (Figure 8).
    if (log_[n].term != hard_.term && options_.bug != RaftBug::kCommitOldTerm) break;
    size_t replicas = 0;
    for (sim::NodeId member : members_) {
      replicas += match_index_[position(options_.servers, member)] >= n ? 1 : 0;
    }
    if (replicas >= majority()) {
      commit_ = n;
      break;
    }
  }
  apply_committed(ctx);
}

void RaftNode::apply_committed(sim::Context& ctx) {
  while (applied_ < commit_) {
    ++applied_;
    const LogEntry& entry = log_[applied_];
    kv::KvResult result;
    if (!entry.noop) {
      result = kv_.apply(entry.command);
      leases_.applied(kv_, entry.command, result, ctx.now());
      if (role_ == Role::kLeader) leases_.trace_applied(ctx, entry.command, result);
    }
    ghost_->on_apply(ctx.name(), applied_, entry, hard_.term, ctx.observer_time().ns());
    if (role_ == Role::kLeader) pending_.applied(ctx, applied_, entry.term, result);
    // A leader whose removal has committed steps down (thesis §4.2.2); it never stands again.
    if (role_ == Role::kLeader && applied_ == config_index_ && !is_member(ctx.self())) {
      become_follower(ctx, hard_.term);
      reset_election_timer(ctx);
    }
  }
  serve_reads(ctx);
}

void RaftNode::on_client_request(sim::Context& ctx, const sim::Message& m,
                                 const kv::KvCommand& command) {
  if (role_ != Role::kLeader) {
    ctx.reply(m, kv::ClientReply{"not-leader", "", leader_});
    return;
  }
  if (command.f == "get") {
    const bool own_term_committed = commit_ <= last_index() && log_[commit_].term == hard_.term;
    if (options_.reads == ReadMode::kLease && own_term_committed && lease_holds(ctx)) {
      // §6.4.1: no other leader can exist before the lease runs out, and everything committed
      // is applied, so local state is current.
      ctx.reply(m, kv::ClientReply{"ok", kv_.read(command.key), ctx.self()});
      return;
    }
    if (options_.bug == RaftBug::kLocalReads) {
      // The bug: a deposed leader that has not heard of its successor answers from stale state.
      ctx.reply(m, kv::ClientReply{"ok", kv_.read(command.key), ctx.self()});
      return;
    }
    // ReadIndex (thesis §6.4): the commit index is only known to be current once an entry of
    // this term has committed; then one heartbeat round confirms nobody has replaced us.
    if (!own_term_committed) {
      ctx.reply(m, kv::ClientReply{"retry", "", ctx.self()});
      return;
    }
    start_round(ctx);
    reads_.push_back(PendingRead{m, commit_, round_, false});
    broadcast_append(ctx);
    serve_reads(ctx);
    return;
  }
  append_local(ctx, LogEntry{hard_.term, false, command});
  ctx.storage().sync();
  pending_.wait(last_index(), hard_.term, m);
  broadcast_append(ctx);
  advance_commit(ctx);
}

void RaftNode::serve_reads(sim::Context& ctx) {
  if (role_ != Role::kLeader) return;
  for (PendingRead& read : reads_) {
    if (read.confirmed) continue;
    // acked_round_ holds 0 for ourselves, never >= a round: we count once, if a member.
    size_t acks = is_member(ctx.self()) ? 1 : 0;
    for (sim::NodeId member : members_) {
      acks += acked_round_[position(options_.servers, member)] >= read.round ? 1 : 0;
    }
    read.confirmed = acks >= majority();
  }
  auto ready = [&](const PendingRead& r) { return r.confirmed && applied_ >= r.read_index; };
  for (const PendingRead& read : reads_) {
    if (!ready(read)) continue;
    const auto* request = read.request.payload.as<kv::ClientRequest>();
    ctx.reply(read.request, kv::ClientReply{"ok", kv_.read(request->command.key), ctx.self()});
  }
  reads_.erase(std::remove_if(reads_.begin(), reads_.end(), ready), reads_.end());
}

// etcd's lessor: the leader alone expires leases, by its clock, through the log.
void RaftNode::propose_lease_revokes(sim::Context& ctx) {
  std::vector<kv::KvCommand> revokes = leases_.expired(kv_, ctx.now());
  if (revokes.empty()) return;
  for (kv::KvCommand& revoke : revokes) append_local(ctx, LogEntry{hard_.term, false, revoke});
  ctx.storage().sync();
  advance_commit(ctx);  // a cluster of one commits alone
}

void RaftNode::abandon_clients(sim::Context& ctx) {
  pending_.abandon(ctx, -1);
  for (const PendingRead& read : reads_) {
    ctx.reply(read.request, kv::ClientReply{"not-leader", "", -1});
  }
  reads_.clear();
}

}  // namespace faultline::protocols::raft
