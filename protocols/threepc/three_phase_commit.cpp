// Three-phase commit (Skeen, "Nonblocking Commit Protocols", 1981; termination after Skeen &
// Stonebraker 1983; the quorum variant after Skeen 1982 and Keidar & Dolev's E3PC, 1998): the
// harness that builds the nodes, keeps the ghost record of votes and decisions, and judges.
#include "protocols/threepc/three_phase_commit.hpp"

#include "protocols/atomic_commit_workload.hpp"
#include "protocols/threepc/coordinator.hpp"
#include "protocols/threepc/participant.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::threepc {
namespace {

struct ThreePcParams {
  int participants = 3;
  CoordinatorOptions coordinator;
  ParticipantOptions participant;
  TransactionClientOptions client;
  sim::Duration liveness_bound = sim::seconds(5);
};

ThreePcParams read_params(Fields& p, const std::string& variant) {
  ThreePcParams out;
  const sim::Duration hour = sim::seconds(3600);
  out.participants = static_cast<int>(p.integer("participants", 3, 1, 100));
  for (int i = 1; i <= out.participants; ++i) {
    out.coordinator.participants.push_back("p" + std::to_string(i));
  }
  out.client.participants = out.coordinator.participants;
  out.client.transactions = static_cast<int>(p.integer("transactions", 10, 1, 1000000));
  out.client.call_timeout =
      p.duration("call_timeout", sim::milliseconds(500), sim::microseconds(1), hour);
  out.client.think = p.duration("think", sim::milliseconds(20), sim::Duration{}, hour);
  out.participant.no_probability = p.number("no_probability", 0.0, 0.0, 1.0);
  out.coordinator.vote_timeout =
      p.duration("vote_timeout", sim::milliseconds(100), sim::microseconds(1), hour);
  out.coordinator.ack_timeout =
      p.duration("ack_timeout", sim::milliseconds(100), sim::microseconds(1), hour);
  out.participant.in_doubt_timeout =
      p.duration("in_doubt_timeout", sim::milliseconds(300), sim::microseconds(1), hour);
  out.participant.election_stagger =
      p.duration("election_stagger", sim::milliseconds(100), sim::Duration{}, hour);
  out.participant.round_timeout =
      p.duration("round_timeout", sim::milliseconds(50), sim::microseconds(1), hour);
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(5), sim::milliseconds(1));
  out.coordinator.quorum = out.participant.quorum = variant == "quorum";
  return out;
}

class ThreePcHarness : public Harness {
 public:
  ThreePcHarness(ThreePcParams params, std::vector<std::string> checkers)
      : params_(std::move(params)), checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
    sim::NodeId coordinator = world.add_node("coordinator", [this] {
      return std::make_unique<Coordinator>(params_.coordinator, ghost_);
    });
    for (int i = 1; i <= params_.participants; ++i) {
      ParticipantOptions options = params_.participant;
      options.index = i;
      world.add_node("p" + std::to_string(i),
                     [this, options] { return std::make_unique<Participant>(options, ghost_); });
    }
    world.add_node("client", [this, coordinator] {
      return std::make_unique<sim::FiberNode>([this, coordinator](sim::Process& co) {
        run_transaction_client(co, params_.client, coordinator, ghost_);
      });
    });
    watch_.install(world);
  }

  std::vector<checkers::Finding> check(sim::World& world) override {
    return judge_atomic_commit(ghost_, checkers_, watch_, world, params_.liveness_bound);
  }

  nlohmann::json figures() const override {
    return {{"transactions_committed", ghost_.committed()},
            {"transactions_aborted", ghost_.aborted()},
            {"decisions", ghost_.outcomes().size()},
            {"in_doubt_at_end", ghost_.in_doubt().size()}};
  }

  std::string explain(const checkers::Finding& finding) const override {
    if (finding.checker == "liveness" && params_.participant.quorum) {
      return "The quorum variant blocks a side without a majority of the participants by design: "
             "that is the price of staying safe when the network partitions.";
    }
    if (finding.checker == "atomic-commit" && !params_.participant.quorum) {
      return "Plain 3PC assumes that a node that does not answer has crashed. Under a partition "
             "each side terminates alone and decides from its own states; the quorum variant "
             "requires a majority at every step instead.";
    }
    return {};
  }

 private:
  ThreePcParams params_;
  std::vector<std::string> checkers_;
  AtomicCommitGhost ghost_;
  FaultWatch watch_;
};

}  // namespace

ProtocolInfo three_phase_commit_info() {
  ProtocolInfo info;
  info.name = "3pc";
  info.description =
      "three-phase commit with the termination protocol: non-blocking when nodes only crash; the "
      "quorum variant stays safe under partitions and blocks the minority instead";
  info.variants = {
      {"quorum", "every termination step needs a majority of participants (E3PC's ballots)", false},
      {"plain",
       "Skeen's 3PC: survivors terminate alone; correct under crashes only, splits its decision "
       "under a partition",
       true},
  };
  info.checkers = {
      {"atomic-commit",
       "all deciders agree, commit only if every participant voted yes, no decision reversed"},
      {"liveness",
       "participants in doubt at the end decided within liveness_bound after the last fault"},
  };
  info.default_checkers = {"atomic-commit"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    ThreePcParams params = read_params(setup.params, setup.variant);
    return std::make_unique<ThreePcHarness>(std::move(params), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::threepc
