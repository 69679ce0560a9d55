#pragma once
// One Multi-Paxos server (Lamport, "Paxos Made Simple", 2001, §3; van Renesse & Altinbuken,
// "Paxos Made Moderately Complex", 2015): proposer, acceptor and learner in one node, replicating
// the kv state machine of protocols/kv/ through a log of slots.
//
// A server that hears no leader for a randomized timeout runs phase 1 for every slot it has not
// learnt, with a ballot above all it has seen; with promises from a majority it adopts, per slot,
// the value of the highest ballot reported, fills the remaining gaps with no-ops and becomes the
// distinguished leader, which then runs only phase 2, one slot per command. It sends heartbeats
// that carry how much of the log it knows chosen; a replica that has learnt less (it was down or
// cut off) fetches the missing slots from the leader or any peer. Known-bug variants break one
// rule each, so the checkers can be shown to catch them.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "protocols/kv/pending.hpp"
#include "protocols/kv/store.hpp"
#include "protocols/paxos/multi_paxos_acceptor.hpp"
#include "protocols/paxos/multi_paxos_ghost.hpp"
#include "sim/node.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols::paxos {

enum class MultiPaxosBug : uint8_t {
  kNone,
  // Acceptors keep promise and votes in memory only: a restart forgets them.
  kForgetPromiseOnRestart,
  // A new leader adopts reported values only up to the end of its own log and starts new
  // commands right after it, as if every later slot were empty: it skips phase 1 there.
  kTrustOwnLog,
  // The leader answers gets from its own state instead of ordering them in the log: a leader
  // that has been replaced without hearing of it serves stale reads.
  kLocalReads,
};

struct MultiPaxosOptions {
  std::vector<sim::NodeId> servers;  // the whole cluster, this server included
  uint32_t index = 1;                // 1-based position in `servers`; owns ballots (round, index)
  sim::Duration takeover_min = sim::milliseconds(150);  // no leader heard for this long at least
  sim::Duration takeover_max = sim::milliseconds(300);
  sim::Duration heartbeat = sim::milliseconds(50);  // also when unchosen accepts are resent
  bool bootstrap = false;      // a short first timeout, so this server leads first (scenarios aim)
  size_t catch_up_batch = 64;  // chosen slots per CatchUpReply
  MultiPaxosBug bug = MultiPaxosBug::kNone;
};

class MultiPaxosServer : public sim::Node {
 public:
  MultiPaxosServer(MultiPaxosOptions options, MultiPaxosGhost& ghost)
      : options_(std::move(options)),
        ghost_(&ghost),
        acceptor_(options_.bug != MultiPaxosBug::kForgetPromiseOnRestart) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool leads() const override { return leading(); }
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // multi_paxos_fingerprint.cpp

  bool leading() const { return role_ == Role::kLeader; }
  const Ballot& ballot() const { return ballot_; }
  // Every slot below this one is learnt here.
  uint64_t chosen_below() const { return applied_ + 1; }

 private:
  enum class Role : uint8_t { kFollower, kCandidate, kLeader };

  // multi_paxos_server.cpp: leadership (phase 1, heartbeats, stepping down).
  void arm_takeover(sim::Context& ctx, bool first_boot = false);
  void start_phase1(sim::Context& ctx);
  void on_prepare(sim::Context& ctx, const sim::Message& m, const MultiPrepare& prepare);
  void on_promise(sim::Context& ctx, sim::NodeId from, const MultiPromise& promise);
  void become_leader(sim::Context& ctx);
  void on_heartbeat(sim::Context& ctx, const sim::Message& m, const LeaderHeartbeat& hb);
  void send_heartbeats(sim::Context& ctx);
  void on_nack(sim::Context& ctx, const MultiNack& nack);
  // A higher ballot is about: stop leading or campaigning.
  void observe(sim::Context& ctx, const Ballot& seen);
  void step_down(sim::Context& ctx);
  size_t majority() const { return options_.servers.size() / 2 + 1; }

  // multi_paxos_replication.cpp: phase 2, learning, catch-up, clients.
  void propose(sim::Context& ctx, uint64_t slot, const SlotValue& value);
  void send_accept(sim::Context& ctx, sim::NodeId to, uint64_t slot, const SlotValue& value);
  void on_accept(sim::Context& ctx, const sim::Message& m, const SlotAccept& accept);
  void on_accepted(sim::Context& ctx, sim::NodeId from, const SlotAccepted& accepted);
  void learn(sim::Context& ctx, const SlotChosen& chosen);
  void on_catch_up_request(sim::Context& ctx, const sim::Message& m, const CatchUpRequest& req);
  void on_client_request(sim::Context& ctx, const sim::Message& m, const kv::KvCommand& command);

  struct Proposal {
    SlotValue value;
    std::set<sim::NodeId> accepted;
  };

  MultiPaxosOptions options_;
  MultiPaxosGhost* ghost_;
  SlotAcceptor acceptor_;

  Role role_ = Role::kFollower;
  Ballot ballot_;                    // ours, while campaigning or leading
  uint64_t highest_round_seen_ = 0;  // from nacks, prepares, accepts and heartbeats
  int64_t leader_ = -1;              // the leader we last heard, for client redirects

  // Phase 1 of our ballot: who promised, and per slot the vote of the highest ballot reported.
  uint64_t from_slot_ = 1;
  std::set<sim::NodeId> promised_by_;
  std::map<uint64_t, SlotVote> adopted_;

  // Leading: the slots proposed in our ballot and not yet chosen, and the next free slot.
  std::map<uint64_t, Proposal> proposals_;
  uint64_t next_slot_ = 1;

  // Learning: chosen values (volatile; a restart catches up from peers) and the applied prefix.
  std::map<uint64_t, SlotChosen> chosen_;
  uint64_t applied_ = 0;
  kv::KvStore kv_;
  kv::PendingReplies pending_;

  sim::TimerId takeover_timer_;
  sim::TimerId heartbeat_timer_;
};

}  // namespace faultline::protocols::paxos
