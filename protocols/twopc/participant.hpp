#pragma once
// A 2PC participant (Bernstein, Hadzilacos & Goodman, §7.3-7.4). It votes yes only after its
// vote is durable, and acknowledges a decision only after the decision is durable. Before it
// votes it may abort on its own; once it voted yes it is in doubt and must learn the decision:
// it asks the coordinator, then (cooperative termination) the other participants; if all of
// them are in doubt too, it waits. That wait is 2PC's blocking.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocols/atomic_commit_workload.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::twopc {

struct ParticipantOptions {
  std::string coordinator = "coordinator";
  double no_probability = 0.0;  // chance of voting no on a transaction (a failed local check)
  bool always_no = false;       // votes no on everything (a participant whose check always fails)
  sim::Duration in_doubt_timeout = sim::milliseconds(200);  // before it starts asking
  sim::Duration query_interval = sim::milliseconds(100);
  // Bug "unilateral-abort": after in_doubt_timeout, a participant that voted yes aborts on its
  // own, as if it had not voted.
  bool abort_when_in_doubt = false;
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
  struct Txn {
    std::optional<bool> vote;      // what it voted, once it did
    std::optional<bool> decision;  // commit or abort, once known
    std::vector<std::string> participants;
    sim::LocalTime in_doubt_since;
    int queries = 0;  // rounds of asking so far
  };

  void on_prepare(sim::Context& ctx, const sim::Message& message);
  void decide(sim::Context& ctx, const std::string& txn, bool commit);
  void ask_around(sim::Context& ctx, const std::string& txn, Txn& state);
  std::string status(sim::Context& ctx, const std::string& txn);

  ParticipantOptions options_;
  AtomicCommitGhost* ghost_;
  std::map<std::string, Txn> txns_;
};

}  // namespace faultline::protocols::twopc
