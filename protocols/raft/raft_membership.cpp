// Single-server membership changes (Ongaro's thesis §4.1). A configuration is a log entry naming
// every voting member; each server uses the latest one in its log, committed or not, from the
// moment it is appended (and falls back to the one before if it is truncated away). Adding or
// removing one server at a time keeps any majority of the old configuration and any majority of
// the new one overlapping, so two leaders of one term cannot be elected by disjoint majorities.
// Two rules keep that true across leaders: one change at a time (the previous configuration
// entry is committed before the next is appended), and, the fix to the bug Ongaro reported on
// raft-dev in 2015, a leader commits an entry of its own term before it appends a change: until
// then, a configuration left uncommitted by an earlier leader may still win an election.
#include <algorithm>

#include "protocols/raft/raft_node.hpp"

namespace faultline::protocols::raft {

bool RaftNode::is_member(sim::NodeId node) const {
  return std::find(members_.begin(), members_.end(), node) != members_.end();
}

void RaftNode::reload_config(sim::Context& ctx) {
  std::vector<sim::NodeId> previous =
      options_.initial_members.empty() ? options_.servers : options_.initial_members;
  std::vector<sim::NodeId> latest = previous;
  config_index_ = 0;
  bool found_latest = false;
  for (uint64_t i = last_index(); i >= 1; --i) {
    if (log_[i].config.empty()) continue;
    std::vector<sim::NodeId> ids;
    for (const std::string& name : log_[i].config) ids.push_back(ctx.node_named(name));
    std::sort(ids.begin(), ids.end());
    if (!found_latest) {
      latest = ids;
      config_index_ = i;
      found_latest = true;
    } else {
      previous = ids;
      break;
    }
  }
  std::sort(previous.begin(), previous.end());
  std::sort(latest.begin(), latest.end());
  std::vector<sim::NodeId> changed;
  std::set_symmetric_difference(previous.begin(), previous.end(), latest.begin(), latest.end(),
                                std::back_inserter(changed));
  last_change_size_ = config_index_ == 0 ? 0 : changed.size();
  members_ = latest;
}

void RaftNode::on_membership_change(sim::Context& ctx, const sim::Message& m,
                                    const MembershipChange& change) {
  if (role_ != Role::kLeader) {
    ctx.reply(m, kv::ClientReply{"not-leader", "", leader_});
    return;
  }
  const sim::NodeId server = ctx.node_named(change.server);
  const bool adding = change.op == "add";
  // Already done (a retry of a change that committed, or of one in progress): answer once the
  // configuration that does it is committed.
  if (adding == is_member(server)) {
    ctx.reply(m, kv::ClientReply{config_index_ <= commit_ ? "ok" : "retry", "", ctx.self()});
    return;
  }
  if (config_index_ > commit_) {  // one change at a time
    ctx.reply(m, kv::ClientReply{"retry", "", ctx.self()});
    return;
  }
  const bool own_term_committed = commit_ <= last_index() && log_[commit_].term == hard_.term;
  if (!own_term_committed && options_.bug != RaftBug::kMembershipBeforeNoop) {
    // The fix: first commit something of this term. Without §8's no-op at election, append one.
    bool has_own_entry = log_.back().term == hard_.term;
    if (!has_own_entry) {
      append_local(ctx, LogEntry{hard_.term, true, {}, {}});
      ctx.storage().sync();
      broadcast_append(ctx);
      advance_commit(ctx);
    }
    ctx.reply(m, kv::ClientReply{"retry", "", ctx.self()});
    return;
  }
  std::vector<sim::NodeId> next = members_;
  if (adding) {
    next.push_back(server);
  } else {
    next.erase(std::find(next.begin(), next.end(), server));
  }
  std::sort(next.begin(), next.end());
  LogEntry entry{hard_.term, false, {}, {}};
  for (sim::NodeId id : next) entry.config.push_back(ctx.name_of(id));
  append_local(ctx, std::move(entry));  // takes effect now: the new server gets entries too
  ctx.storage().sync();
  pending_.wait(last_index(), hard_.term, m);
  broadcast_append(ctx);
  advance_commit(ctx);
}

}  // namespace faultline::protocols::raft
