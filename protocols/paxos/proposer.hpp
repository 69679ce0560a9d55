#pragma once
// A single-decree Paxos proposer (Lamport, "Paxos Made Simple", §2.2 phases 1a and 2a, §2.4 on
// progress): it picks a ballot above every one it has seen, collects promises from a majority,
// proposes the value of the highest-numbered proposal they report (its own value only if none),
// and tells the learners once a majority accepted. A rejected or timed-out round is retried with
// a higher ballot after a backoff; §2.4 notes that two proposers can keep pre-empting each other
// forever, and a randomized backoff is what makes that unlikely.

#include <set>
#include <string>
#include <vector>

#include "protocols/paxos/messages.hpp"
#include "protocols/paxos/paxos_ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::paxos {

struct ProposerOptions {
  uint32_t index = 1;  // 1-based; owns the ballots (round, index)
  std::string value;   // the value this proposer wants chosen
  std::vector<sim::NodeId> acceptors;
  std::vector<sim::NodeId> learners;
  sim::Duration start_after;                          // first round this long after boot
  sim::Duration retry_delay = sim::milliseconds(20);  // base of the backoff after a rejection
  // A round (both phases) not done this long after its start is abandoned. A deadline shorter
  // than both phases' round trips lets the next round pre-empt the last one's accepts: with
  // equal fixed retries, two proposers then pre-empt each other forever (§2.4's duel).
  sim::Duration round_timeout = sim::milliseconds(200);
  // The correct proposer waits a random time in [retry, retry * 2^(attempt+1)] (capped); the
  // fixed-retry bug waits exactly retry_delay every time, so duelling proposers stay in step.
  bool randomized_backoff = true;
  // The ignore-highest-accepted bug: propose our own value even when a promise reports one.
  bool ignore_highest_accepted = false;
};

class Proposer : public sim::Node {
 public:
  Proposer(ProposerOptions options, PaxosGhost& ghost)
      : options_(std::move(options)), ghost_(&ghost) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  // timer_ is left out: it always names the one timer the proposer keeps armed (or none).
  bool fingerprint_state(sim::StateHasher& hasher) const override;

 private:
  enum class Phase { kIdle, kPreparing, kAccepting, kBackoff, kDone };

  void start_round(sim::Context& ctx);
  void on_promise(sim::Context& ctx, const sim::Message& message, const Promise& promise);
  void on_accepted(sim::Context& ctx, const sim::Message& message, const Accepted& accepted);
  void abandon_round(sim::Context& ctx, Ballot seen);
  void arm(sim::Context& ctx, sim::Duration after);
  size_t majority() const { return options_.acceptors.size() / 2 + 1; }

  ProposerOptions options_;
  PaxosGhost* ghost_;
  Phase phase_ = Phase::kIdle;
  Ballot ballot_;
  uint64_t highest_round_seen_ = 0;  // from nacks and our own stable record
  uint32_t attempts_ = 0;
  std::set<sim::NodeId> promised_, accepted_;
  Ballot highest_accepted_;  // the highest proposal reported in this round's promises
  std::string proposal_;     // the value sent in phase 2
  sim::TimerId timer_;
};

}  // namespace faultline::protocols::paxos
