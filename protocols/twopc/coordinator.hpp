#pragma once
// The 2PC coordinator (Bernstein, Hadzilacos & Goodman, §7.3-7.4). It collects votes until all
// are yes (commit) or one is no or the vote timeout passes (abort); it writes the decision
// durably before sending it, re-sends it until every participant acknowledged, and re-sends it
// after a restart. A query about a transaction it has no decision for is answered abort and the
// abort logged: it never sent a commit it did not log (presumed abort).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocols/atomic_commit_workload.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::twopc {

struct CoordinatorOptions {
  std::vector<std::string> participants;
  sim::Duration vote_timeout = sim::milliseconds(100);
  sim::Duration resend_interval = sim::milliseconds(100);
  // Bug "decision-not-logged": the decision is sent without being written first, so after a
  // restart the coordinator presumes abort for a transaction it told someone to commit.
  bool log_decision = true;
  // Bug "coordinator-vote-only": once the votes are in (or timed out) it commits on its own yes,
  // without counting the participants' votes.
  bool count_votes = true;
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
    std::optional<bool> decision;
    std::set<std::string> acked;
    bool acknowledged = false;  // by every participant
    sim::LocalTime started;
    std::vector<sim::Message> waiting_clients;
  };

  void begin(sim::Context& ctx, const sim::Message& message);
  void on_vote(sim::Context& ctx, const sim::Message& message);
  // False when the coordinator crashes at the fault site before sending it (do nothing more).
  bool decide(sim::Context& ctx, const std::string& txn, bool commit);
  void send_decision(sim::Context& ctx, const std::string& txn, const Txn& state);

  CoordinatorOptions options_;
  AtomicCommitGhost* ghost_;
  std::map<std::string, Txn> txns_;
};

}  // namespace faultline::protocols::twopc
