#pragma once
// The 3PC coordinator (Skeen, "Nonblocking Commit Protocols", 1981): can-commit (collect votes),
// pre-commit (every vote yes: propose pre-commit as ballot 0 and collect acks), do-commit. It
// logs each decision before sending it. Plain 3PC commits once every participant acked or the
// ack timeout passed (the silent are taken for crashed); the quorum variant needs a majority of
// acks, and otherwise keeps asking until a participant tells it the outcome of a termination. A
// restarted coordinator decides nothing it had begun; it asks the participants for the outcome.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocols/atomic_commit_workload.hpp"
#include "protocols/threepc/messages.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::threepc {

struct CoordinatorOptions {
  std::vector<std::string> participants;
  sim::Duration vote_timeout = sim::milliseconds(100);
  sim::Duration ack_timeout = sim::milliseconds(100);
  sim::Duration resend_interval = sim::milliseconds(50);
  bool quorum = false;
  // A restarted coordinator asks the participants for the outcome of the transactions it had
  // begun and not decided. Without it (variant passive-restart) it waits to be told, which it
  // never is if the participants decided while it was down: its client waits for ever.
  bool ask_when_passive = true;
};

class Coordinator : public sim::Node {
 public:
  Coordinator(CoordinatorOptions options, AtomicCommitGhost& ghost)
      : options_(std::move(options)), ghost_(&ghost) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool leads() const override { return true; }
  bool fingerprint_state(sim::StateHasher& hasher) const override;

 private:
  struct Txn {
    std::map<std::string, bool> votes;
    bool pre_committing = false;
    std::set<std::string> acks;
    std::optional<bool> decision;
    sim::LocalTime step_started;
    std::vector<sim::Message> waiting_clients;
    // Begun before a crash and not decided: the participants may have decided it by their
    // termination protocol meanwhile, so this coordinator no longer decides it (no vote or ack
    // timeout), and it never runs it again; it asks the participants for the outcome.
    bool passive = false;
  };

  void begin(sim::Context& ctx, const sim::Message& message);
  void on_vote(sim::Context& ctx, const std::string& from, const std::string& txn, bool yes);
  // False when the coordinator crashes at the fault site before sending it (do nothing more).
  bool decide(sim::Context& ctx, const std::string& txn, bool commit);
  void answer_state_request(sim::Context& ctx, sim::NodeId from, const StateRequest& request);
  void ask_outcome(sim::Context& ctx, const std::string& txn);

  CoordinatorOptions options_;
  AtomicCommitGhost* ghost_;
  std::map<std::string, Txn> txns_;
};

}  // namespace faultline::protocols::threepc
