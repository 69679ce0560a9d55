#include "protocols/atomic_commit_harness.hpp"

#include <algorithm>

#include "sim/fiber.hpp"

namespace faultline::protocols {

CommitWorkload read_commit_workload(Fields& p) {
  CommitWorkload out;
  const sim::Duration hour = sim::seconds(3600);
  const int participants = static_cast<int>(p.integer("participants", 3, 1, 100));
  for (int i = 1; i <= participants; ++i) out.participants.push_back("p" + std::to_string(i));
  out.client.participants = out.participants;
  out.client.transactions = static_cast<int>(p.integer("transactions", 10, 1, 1000000));
  out.client.call_timeout =
      p.duration("call_timeout", sim::milliseconds(500), sim::microseconds(1), hour);
  out.client.think = p.duration("think", sim::milliseconds(20), sim::Duration{}, hour);
  out.no_probability = p.number("no_probability", 0.0, 0.0, 1.0);
  out.vote_timeout = p.duration("vote_timeout", sim::milliseconds(100), sim::microseconds(1), hour);
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(5), sim::milliseconds(1));
  return out;
}

std::vector<CheckerInfo> commit_checkers() {
  return {
      {"atomic-commit",
       "all deciders agree, commit only if every participant voted yes, no decision reversed"},
      {"liveness",
       "participants in doubt at the end decided within liveness_bound after the last fault", true},
      {"clients-answered",
       "the client's transaction answered within liveness_bound after the last fault (not "
       "judged while the coordinator or the client is down at the end)",
       true},
  };
}

void AtomicCommitHarness::build(sim::World& world) {
  // What a search or a run should reach, lest "no violation" be vacuous: a decision each way.
  const auto decided = [this](bool commit) {
    return [this, commit] {
      const std::vector<checkers::Outcome>& outcomes = ghost_.outcomes();
      return std::any_of(outcomes.begin(), outcomes.end(),
                         [commit](const checkers::Outcome& o) { return o.commit == commit; });
    };
  };
  world.add_sometimes("a transaction commits", decided(true));
  world.add_sometimes("a transaction aborts", decided(false));
  world.add_ghost_state([this](sim::StateHasher& hasher) { ghost_.hash(hasher); });
  sim::NodeId coordinator = coordinator_ = add_protocol_nodes(world);
  client_node_ = world.add_node("client", [this, coordinator] {
    return std::make_unique<sim::FiberNode>([this, coordinator](sim::Process& co) {
      run_transaction_client(co, client_, coordinator, ghost_);
    });
  });
}

std::vector<Finding> AtomicCommitHarness::check(sim::World& world) {
  const bool answerable = world.is_up(coordinator_) && world.is_up(client_node_);
  return judge_atomic_commit(ghost_, checkers_, world, liveness_bound_, answerable);
}

nlohmann::json AtomicCommitHarness::figures() const {
  return {{"transactions_committed", ghost_.committed()},
          {"transactions_aborted", ghost_.aborted()},
          {"decisions", ghost_.outcomes().size()},
          {"in_doubt_at_end", ghost_.in_doubt().size()}};
}

}  // namespace faultline::protocols
