#pragma once
// One Raft server (Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm",
// 2014): leader election with randomized timeouts (§5.2), log replication (§5.3), the election
// restriction and the commit rule of §5.4, persistence of currentTerm, votedFor and the log before
// answering (Figure 2), a no-op entry at the start of each term (§8), and ReadIndex reads
// (Ongaro's thesis, §6.4). It serves the replicated kv state machine of protocols/kv/, whose
// leases this server expires while it leads (etcd's lessor; protocols/kv/lease_expiry.hpp).
// Known-bug variants break one rule each, so the invariants can be shown to catch it.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "protocols/kv/lease_expiry.hpp"
#include "protocols/kv/pending.hpp"
#include "protocols/kv/store.hpp"
#include "protocols/raft/messages.hpp"
#include "protocols/raft/raft_ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::raft {

enum class RaftBug : uint8_t {
  kNone,
  kCommitOldTerm,  // counts replicas of an entry of an earlier term to commit it (Figure 8)
  kVolatileVote,   // votedFor is not persisted: a restarted server may vote twice in one term
  kLocalReads,     // the leader answers gets from its own state, without ReadIndex
};

struct RaftOptions {
  std::vector<sim::NodeId> servers;  // the whole cluster, this server included
  sim::Duration election_min = sim::milliseconds(150);
  sim::Duration election_max = sim::milliseconds(300);
  sim::Duration heartbeat = sim::milliseconds(50);
  bool noop_on_election = true;
  // The first election timeout of a fresh cluster is short on this server, so that it is the
  // first leader (a bootstrap, as etcd and HashiCorp Raft do); scenarios can then aim faults.
  bool bootstrap = false;
  size_t max_batch = 64;  // entries per AppendEntries
  RaftBug bug = RaftBug::kNone;
};

enum class Role : uint8_t { kFollower, kCandidate, kLeader };

class RaftNode : public sim::Node {
 public:
  RaftNode(RaftOptions options, RaftGhost& ghost) : options_(std::move(options)), ghost_(&ghost) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;

  // For invariants and the harness.
  Role role() const { return role_; }
  uint64_t term() const { return hard_.term; }
  uint64_t commit_index() const { return commit_; }
  uint64_t last_index() const { return log_.size() - 1; }
  const std::vector<LogEntry>& log() const { return log_; }  // log_[0] is a sentinel of term 0
  // Hash of the log up to each index: equal at an index iff the prefixes are equal (w.h.p.).
  const std::vector<uint64_t>& prefix_hashes() const { return prefix_; }

 private:
  struct PendingRead {
    sim::Message request;
    uint64_t read_index = 0;
    uint64_t round = 0;
    bool confirmed = false;
  };

  // raft_node.cpp: roles, elections, persistence.
  void load(sim::Context& ctx);
  void persist_hard_state(sim::Context& ctx);
  void append_local(sim::Context& ctx, LogEntry entry);
  void truncate_from(sim::Context& ctx, uint64_t index);
  void reset_election_timer(sim::Context& ctx, bool first_boot = false);
  void start_election(sim::Context& ctx);
  void become_follower(sim::Context& ctx, uint64_t term);
  void become_leader(sim::Context& ctx);
  void on_request_vote(sim::Context& ctx, const sim::Message& m, const RequestVote& rv);
  void on_vote_reply(sim::Context& ctx, const sim::Message& m, const VoteReply& reply);
  bool log_up_to_date(uint64_t last_term, uint64_t last_index) const;
  size_t majority() const { return options_.servers.size() / 2 + 1; }

  // raft_replication.cpp: AppendEntries, commit, apply, client requests, reads.
  void send_append(sim::Context& ctx, sim::NodeId peer);
  void broadcast_append(sim::Context& ctx);
  void on_append_entries(sim::Context& ctx, const sim::Message& m, const AppendEntries& ae);
  void on_append_reply(sim::Context& ctx, const sim::Message& m, const AppendReply& reply);
  void advance_commit(sim::Context& ctx);
  void apply_committed(sim::Context& ctx);
  void on_client_request(sim::Context& ctx, const sim::Message& m, const kv::KvCommand& command);
  void serve_reads(sim::Context& ctx);
  void abandon_clients(sim::Context& ctx);
  void propose_lease_revokes(sim::Context& ctx);

  RaftOptions options_;
  RaftGhost* ghost_;

  HardState hard_;
  std::vector<LogEntry> log_{LogEntry{}};
  std::vector<uint64_t> prefix_{0};

  Role role_ = Role::kFollower;
  int64_t leader_ = -1;
  uint64_t commit_ = 0;
  uint64_t applied_ = 0;
  std::set<sim::NodeId> votes_;
  std::vector<uint64_t> next_index_;   // by position in options_.servers
  std::vector<uint64_t> match_index_;  // by position in options_.servers
  std::vector<uint64_t> acked_round_;  // highest heartbeat round each server answered this term
  uint64_t round_ = 0;
  std::vector<PendingRead> reads_;
  kv::KvStore kv_;
  kv::PendingReplies pending_;
  kv::LeaseExpiry leases_;  // acted on only while leading
  sim::TimerId election_timer_;
  sim::TimerId heartbeat_timer_;
};

}  // namespace faultline::protocols::raft
