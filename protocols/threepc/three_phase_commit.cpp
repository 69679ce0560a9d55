// Three-phase commit (Skeen, "Nonblocking Commit Protocols", 1981; termination after Skeen &
// Stonebraker 1983; the quorum variant after Skeen 1982 and Keidar & Dolev's E3PC, 1998): the
// harness that builds the nodes, keeps the ghost record of votes and decisions, and judges.
#include "protocols/threepc/three_phase_commit.hpp"

#include "protocols/atomic_commit_harness.hpp"
#include "protocols/threepc/coordinator.hpp"
#include "protocols/threepc/participant.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::threepc {
namespace {

// What a variant turns off: the quorum at every termination step, or the restarted
// coordinator's question to the participants.
struct ThreePcFlags {
  bool quorum = true;
  bool ask_when_passive = true;
};

const VariantTable<ThreePcFlags>& three_pc_variants() {
  static const VariantTable<ThreePcFlags> table({
      {"quorum",
       "every termination step needs a majority of participants (E3PC's ballots)",
       false,
       {}},
      {"plain",
       "Skeen's 3PC: survivors terminate alone; correct under crashes only, splits its decision "
       "under a partition",
       true,
       {.quorum = false}},
      {"passive-restart",
       "quorum; a restarted coordinator waits to be told the outcome of what it had begun, and "
       "its client waits for ever when the participants decided while it was down",
       true,
       {.ask_when_passive = false}},
  });
  return table;
}

struct ThreePcParams {
  CommitWorkload workload;
  CoordinatorOptions coordinator;
  ParticipantOptions participant;
};

ThreePcParams read_params(Fields& p, const ThreePcFlags& flags) {
  ThreePcParams out;
  const sim::Duration hour = sim::seconds(3600);
  out.workload = read_commit_workload(p);
  out.coordinator.participants = out.workload.participants;
  out.coordinator.vote_timeout = out.workload.vote_timeout;
  out.participant.no_probability = out.workload.no_probability;
  out.coordinator.ack_timeout =
      p.duration("ack_timeout", sim::milliseconds(100), sim::microseconds(1), hour);
  out.participant.in_doubt_timeout =
      p.duration("in_doubt_timeout", sim::milliseconds(300), sim::microseconds(1), hour);
  out.participant.election_stagger =
      p.duration("election_stagger", sim::milliseconds(100), sim::Duration{}, hour);
  out.participant.round_timeout =
      p.duration("round_timeout", sim::milliseconds(50), sim::microseconds(1), hour);
  out.coordinator.quorum = out.participant.quorum = flags.quorum;
  out.coordinator.ask_when_passive = flags.ask_when_passive;
  return out;
}

class ThreePcHarness : public AtomicCommitHarness {
 public:
  ThreePcHarness(ThreePcParams params, std::vector<std::string> checkers)
      : AtomicCommitHarness(params.workload, std::move(checkers)), params_(std::move(params)) {}

  sim::NodeId add_protocol_nodes(sim::World& world) override {
    sim::NodeId coordinator = world.add_node("coordinator", [this] {
      return std::make_unique<Coordinator>(params_.coordinator, ghost_);
    });
    for (std::size_t i = 0; i < params_.workload.participants.size(); ++i) {
      ParticipantOptions options = params_.participant;
      options.index = static_cast<int>(i) + 1;
      world.add_node(params_.workload.participants[i],
                     [this, options] { return std::make_unique<Participant>(options, ghost_); });
    }
    return coordinator;
  }

  std::string explain(const Finding& finding) const override {
    if (finding.checker == "liveness" && params_.participant.quorum) {
      return "The quorum variant blocks a side without a majority of the participants by design: "
             "that is the price of staying safe when the network partitions.";
    }
    if (finding.checker == "clients-answered" && !params_.coordinator.ask_when_passive) {
      return "The coordinator restarted with transactions it had begun and not decided. The "
             "participants decided them by their termination protocol while it was down and told "
             "it once, into the void; it waits to be told again, and its client waits with it. A "
             "restarted coordinator must ask the participants for the outcome (variant quorum).";
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
};

}  // namespace

ProtocolInfo three_phase_commit_info() {
  ProtocolInfo info;
  info.name = "3pc";
  info.description =
      "three-phase commit with the termination protocol: non-blocking when nodes only crash; the "
      "quorum variant stays safe under partitions and blocks the minority instead";
  info.variants = three_pc_variants().infos();
  info.checkers = commit_checkers();
  info.default_checkers = {"atomic-commit"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    ThreePcParams params = read_params(setup.params, three_pc_variants().flags(setup.variant));
    return std::make_unique<ThreePcHarness>(std::move(params), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::threepc
