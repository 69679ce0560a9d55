#pragma once
// The harness every commit protocol (2PC, 3PC) shares: the parameters they read alike, the
// client node, the fault watch, the judgement and the figures. A protocol adds its coordinator and
// participants and, if it likes, a sentence that explains a finding in its own terms.

#include <string>
#include <vector>

#include "protocols/atomic_commit_workload.hpp"
#include "protocols/params.hpp"
#include "protocols/protocol.hpp"

namespace faultline::protocols {

struct CommitWorkload {
  std::vector<std::string> participants;  // "p1".."pN"
  TransactionClientOptions client;
  double no_probability = 0.0;  // each participant's chance of voting no on a transaction
  sim::Duration vote_timeout = sim::milliseconds(100);
  sim::Duration liveness_bound = sim::seconds(5);
};

// Reads participants, transactions, call_timeout, think, no_probability, vote_timeout and
// liveness_bound (docs/scenarios.md, "2pc and 3pc").
CommitWorkload read_commit_workload(Fields& p);

// The checkers every commit protocol offers: "atomic-commit" (the default), "liveness" and
// "clients-answered".
std::vector<CheckerInfo> commit_checkers();

class AtomicCommitHarness : public Harness {
 public:
  AtomicCommitHarness(const CommitWorkload& workload, std::vector<std::string> checkers)
      : client_(workload.client),
        liveness_bound_(workload.liveness_bound),
        checkers_(std::move(checkers)) {}

  void build(sim::World& world) final;
  std::vector<Finding> check(sim::World& world) final;
  nlohmann::json figures() const final;

 protected:
  // Adds the coordinator and the participants; returns the coordinator, which the client calls.
  virtual sim::NodeId add_protocol_nodes(sim::World& world) = 0;

  AtomicCommitGhost ghost_;  // outside the nodes, so it survives their crashes

 private:
  TransactionClientOptions client_;
  sim::Duration liveness_bound_;
  std::vector<std::string> checkers_;
  sim::NodeId coordinator_ = sim::kNoNode;
  sim::NodeId client_node_ = sim::kNoNode;
};

}  // namespace faultline::protocols
