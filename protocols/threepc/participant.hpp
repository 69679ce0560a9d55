#pragma once
// A 3PC participant and its termination protocol (Skeen 1981, §4-5; Skeen & Stonebraker 1983).
// It votes after logging its vote, enters pre-commit when told, and commits on do-commit. When
// the coordinator goes silent it becomes a coordinator itself, with a ballot higher than any it
// has promised: it asks the others for their states and decides from the states present (any
// committed: commit; any aborted: abort; otherwise the newest pre-commit or pre-abort wins; all
// uncertain: abort), moves the others to that pre-state, then decides.
//
// Plain 3PC decides from whoever answered in time, which is safe when nodes only crash but not
// when the network partitions (each side decides alone). The quorum variant needs a majority of
// the participants at each step, so a minority side blocks instead.
//
// Silence means a crash only for a site that has been up since it voted: it saw every pre-commit
// sent to it. A site that crashed in doubt and restarted may have missed the decision (Skeen's
// coordinator commits when a participant fails to ack, "it will learn on recovery"). So in plain
// 3PC a termination decides from the states present only if some site in it has been up
// throughout, or every participant answered and the coordinator says it has not decided and
// never will on its own; otherwise it blocks and asks again, and the answer comes from whoever
// decided (Skeen's total failure: wait for the sites that know).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocols/atomic_commit_workload.hpp"
#include "protocols/threepc/messages.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::threepc {

struct ParticipantOptions {
  int index = 1;  // 1..N: staggers the elections so that the lowest survivor usually goes first
  std::string coordinator = "coordinator";
  double no_probability = 0.0;
  sim::Duration in_doubt_timeout = sim::milliseconds(300);
  sim::Duration election_stagger = sim::milliseconds(100);
  sim::Duration round_timeout = sim::milliseconds(50);  // each termination step waits this long
  bool quorum = false;
};

class Participant : public sim::Node {
 public:
  Participant(ParticipantOptions options, AtomicCommitGhost& ghost)
      : options_(std::move(options)), ghost_(&ghost) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool fingerprint_state(sim::StateHasher& hasher) const override;

 private:
  struct Election {
    uint64_t ballot = 0;
    bool proposing = false;  // false: gathering states
    bool commit = false;     // the value proposed
    std::map<std::string, StateReply> replies;
    std::set<std::string> acks;
    sim::LocalTime step_started;
    bool coordinator_undecided = false;  // the coordinator has not decided, and never will alone
  };
  struct Txn {
    TxnRecord record;
    sim::LocalTime last_heard;  // of the coordinator or an elector: silence starts a termination
    std::optional<Election> election;
    bool recovered = false;  // restarted while in doubt (see above)
  };

  void on_can_commit(sim::Context& ctx, const sim::Message& message);
  void on_propose(sim::Context& ctx, const sim::Message& message);
  void on_state_request(sim::Context& ctx, const sim::Message& message);
  void on_state_reply(sim::Context& ctx, const StateReply& reply, const std::string& from);
  void store(sim::Context& ctx, const std::string& txn);
  void decide(sim::Context& ctx, const std::string& txn, bool commit);
  bool decided(const std::string& txn) const;
  void start_election(sim::Context& ctx, const std::string& txn, Txn& state);
  bool may_decide(const Txn& state) const;
  void finish_gathering(sim::Context& ctx, const std::string& txn, Txn& state);
  void finish_proposing(sim::Context& ctx, const std::string& txn, Txn& state);
  void broadcast(sim::Context& ctx, const Txn& state, const sim::Payload& payload);
  size_t majority(const Txn& state) const { return state.record.participants.size() / 2 + 1; }

  ParticipantOptions options_;
  AtomicCommitGhost* ghost_;
  std::map<std::string, Txn> txns_;
};

}  // namespace faultline::protocols::threepc
