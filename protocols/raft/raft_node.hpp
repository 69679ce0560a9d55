#pragma once
// One Raft server (Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm",
// 2014): leader election with randomized timeouts (§5.2), log replication (§5.3), the election
// restriction and the commit rule of §5.4, persistence of currentTerm, votedFor and the log before
// answering (Figure 2), a no-op entry at the start of each term (§8), and ReadIndex reads
// (Ongaro's thesis, §6.4), single-server membership changes (thesis §4.1). Options from the
// thesis: PreVote (§9.6) with the rule that a server in touch with a leader ignores elections
// (§4.2.3), and lease reads (§6.4.1). It serves the replicated kv state machine of protocols/kv/,
// whose leases this server expires while it leads (etcd's lessor; protocols/kv/lease_expiry.hpp).
// Known-bug variants break one rule each, so the invariants can be shown to catch it.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocols/kv/lease_expiry.hpp"
#include "protocols/kv/pending.hpp"
#include "protocols/kv/store.hpp"
#include "protocols/raft/messages.hpp"
#include "protocols/raft/raft_ghost.hpp"
#include "sim/node.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols::raft {

enum class RaftBug : uint8_t {
  kNone,
  kCommitOldTerm,  // counts replicas of an entry of an earlier term to commit it (Figure 8)
  kVolatileVote,   // votedFor is not persisted: a restarted server may vote twice in one term
  kLocalReads,     // the leader answers gets from its own state, without ReadIndex
  // Lease reads whose lease is a full election_timeout_min of the leader's own clock: a leader
  // whose clock runs slow holds it after the others have elected a successor.
  kLeaseIgnoresDrift,
  // Lease reads whose lease starts when a majority's acknowledgements are counted rather than
  // when the heartbeat round was sent: a pause between the two stretches the lease by its length.
  kLeaseFromAcks,
  // A new leader appends a configuration change before it has committed an entry of its own term
  // (the bug in single-server changes Ongaro reported on raft-dev in 2015): a configuration an
  // earlier leader left uncommitted can then come back and overwrite this one.
  kMembershipBeforeNoop,
};

enum class ReadMode : uint8_t {
  kReadIndex,  // confirm leadership with a heartbeat round per read (thesis §6.4)
  kLease,      // answer locally while a lease holds, else fall back to ReadIndex (§6.4.1)
};

struct RaftOptions {
  std::vector<sim::NodeId> servers;  // every server that may ever be a member, this one included
  // The first configuration (before any configuration entry); empty: all of `servers`.
  std::vector<sim::NodeId> initial_members;
  sim::Duration election_min = sim::milliseconds(150);
  sim::Duration election_max = sim::milliseconds(300);
  sim::Duration heartbeat = sim::milliseconds(50);
  bool noop_on_election = true;
  // The first election timeout of a fresh cluster is short on this server, so that it is the
  // first leader (a bootstrap, as etcd and HashiCorp Raft do); scenarios can then aim faults.
  bool bootstrap = false;
  size_t max_batch = 64;  // entries per AppendEntries
  bool prevote = false;   // thesis §9.6: win a pre-election before incrementing the term
  ReadMode reads = ReadMode::kReadIndex;
  // The largest clock rate error, in parts per million, that a lease is made safe against: the
  // lease lasts election_min * (1 - drift) / (1 + drift) of the leader's clock, so it ends before
  // any follower with a clock drifting the other way can have timed out.
  int64_t lease_drift_ppm = 100'000;
  RaftBug bug = RaftBug::kNone;
};

enum class Role : uint8_t { kFollower, kCandidate, kLeader };

// The lease read's interval in the trace (Context::hold_interval): the leader's belief, from a
// majority-acknowledged round until its clock passes lease_until_ or it steps down.
inline constexpr const char* kLeaseInterval = "read lease";

class RaftNode : public sim::Node {
 public:
  RaftNode(RaftOptions options, RaftGhost& ghost) : options_(std::move(options)), ghost_(&ghost) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool leads() const override { return role_ == Role::kLeader; }
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // raft_fingerprint.cpp

  // For invariants and the harness.
  Role role() const { return role_; }
  uint64_t term() const { return hard_.term; }
  uint64_t commit_index() const { return commit_; }
  uint64_t last_index() const { return log_.size() - 1; }
  const std::vector<LogEntry>& log() const { return log_; }  // log_[0] is a sentinel of term 0
  // Hash of the log up to each index: equal at an index iff the prefixes are equal (w.h.p.).
  const std::vector<uint64_t>& prefix_hashes() const { return prefix_; }
  // The configuration in force here: the latest in the log, committed or not (§4.1).
  const std::vector<sim::NodeId>& members() const { return members_; }
  // How many servers the latest configuration change in the log added or removed.
  size_t last_change_size() const { return last_change_size_; }

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
  void start_prevote(sim::Context& ctx);
  void on_prevote(sim::Context& ctx, const sim::Message& m, const PreVote& pv);
  void on_prevote_reply(sim::Context& ctx, const sim::Message& m, const PreVoteReply& reply);
  // §4.2.3: a server that heard from a current leader less than election_min ago ignores
  // elections; PreVote and leases both need it.
  bool ignores_elections() const { return options_.prevote || options_.reads == ReadMode::kLease; }
  bool leader_in_touch(sim::Context& ctx) const;
  bool log_up_to_date(uint64_t last_term, uint64_t last_index) const;
  size_t majority() const { return members_.size() / 2 + 1; }
  bool is_member(sim::NodeId node) const;
  // The configuration from the log's latest configuration entry (or the first one).
  void reload_config(sim::Context& ctx);
  void on_membership_change(sim::Context& ctx, const sim::Message& m,
                            const MembershipChange& change);

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
  // raft_lease.cpp: heartbeat rounds dated by their send time, and the lease they buy (§6.4.1).
  void start_round(sim::Context& ctx);
  void extend_lease(sim::Context& ctx);
  bool lease_holds(sim::Context& ctx) const;
  sim::Duration lease_length() const;

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
  std::map<uint64_t, sim::LocalTime> round_sent_;  // unconfirmed rounds, by their send time
  std::optional<sim::LocalTime> lease_until_;      // on this server's monotonic clock
  bool precandidate_ = false;
  std::set<sim::NodeId> prevotes_;
  std::optional<sim::LocalTime> leader_contact_;  // when a leader was last heard from
  std::vector<sim::NodeId> members_;
  uint64_t config_index_ = 0;  // of the latest configuration entry; 0: the first configuration
  size_t last_change_size_ = 0;
  std::vector<PendingRead> reads_;
  kv::KvStore kv_;
  kv::PendingReplies pending_;
  kv::LeaseExpiry leases_;  // acted on only while leading
  sim::TimerId election_timer_;
  sim::TimerId heartbeat_timer_;
};

}  // namespace faultline::protocols::raft
