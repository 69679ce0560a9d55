// Two-phase commit (Gray 1978; Bernstein, Hadzilacos & Goodman, "Concurrency Control and
// Recovery in Database Systems", ch. 7): the harness that builds the nodes, keeps the ghost
// record of votes and decisions, and judges the run.
#include "protocols/twopc/two_phase_commit.hpp"

#include <algorithm>

#include "protocols/atomic_commit_harness.hpp"
#include "protocols/twopc/coordinator.hpp"
#include "protocols/twopc/participant.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::twopc {
namespace {

// What each known-bug variant turns off or on.
struct TwoPcFlags {
  bool log_decision = true;          // the coordinator logs its decision before sending it
  bool count_votes = true;           // the coordinator counts the participants' votes
  bool abort_when_in_doubt = false;  // a participant in doubt times out and aborts
};

const VariantTable<TwoPcFlags>& two_pc_variants() {
  static const VariantTable<TwoPcFlags> table({
      {"correct",
       "votes and decisions logged before they are sent; in doubt, ask and wait",
       false,
       {}},
      {"unilateral-abort",
       "a participant in doubt after voting yes times out and aborts",
       true,
       {.abort_when_in_doubt = true}},
      {"decision-not-logged",
       "the coordinator sends its decision without logging it, and presumes abort after a restart",
       true,
       {.log_decision = false}},
      {"coordinator-vote-only",
       "the coordinator commits on its own yes vote without counting the participants'",
       true,
       {.count_votes = false}},
  });
  return table;
}

struct TwoPcParams {
  CommitWorkload workload;
  std::vector<std::string> always_no;  // participants that vote no on everything
  CoordinatorOptions coordinator;
  ParticipantOptions participant;
};

TwoPcParams read_params(Fields& p, const TwoPcFlags& flags) {
  TwoPcParams out;
  const sim::Duration hour = sim::seconds(3600);
  out.workload = read_commit_workload(p);
  out.coordinator.participants = out.workload.participants;
  out.coordinator.vote_timeout = out.workload.vote_timeout;
  out.participant.no_probability = out.workload.no_probability;
  out.always_no = p.strings("always_no");
  for (size_t i = 0; i < out.always_no.size(); ++i) {
    const auto& names = out.workload.participants;
    if (std::find(names.begin(), names.end(), out.always_no[i]) == names.end()) {
      p.fail_at(p.path_of("always_no") + "[" + std::to_string(i) + "]",
                "a participant name p1..p" + std::to_string(names.size()), out.always_no[i]);
    }
  }
  out.coordinator.resend_interval =
      p.duration("resend_interval", sim::milliseconds(100), sim::microseconds(1), hour);
  out.participant.in_doubt_timeout =
      p.duration("in_doubt_timeout", sim::milliseconds(200), sim::microseconds(1), hour);
  out.participant.query_interval =
      p.duration("query_interval", sim::milliseconds(100), sim::microseconds(1), hour);
  out.coordinator.log_decision = flags.log_decision;
  out.coordinator.count_votes = flags.count_votes;
  out.participant.abort_when_in_doubt = flags.abort_when_in_doubt;
  return out;
}

class TwoPcHarness : public AtomicCommitHarness {
 public:
  TwoPcHarness(TwoPcParams params, std::vector<std::string> checkers)
      : AtomicCommitHarness(params.workload, std::move(checkers)), params_(std::move(params)) {}

  sim::NodeId add_protocol_nodes(sim::World& world) override {
    sim::NodeId coordinator = world.add_node("coordinator", [this] {
      return std::make_unique<Coordinator>(params_.coordinator, ghost_);
    });
    for (const std::string& name : params_.workload.participants) {
      ParticipantOptions options = params_.participant;
      options.always_no = std::find(params_.always_no.begin(), params_.always_no.end(), name) !=
                          params_.always_no.end();
      world.add_node(name,
                     [this, options] { return std::make_unique<Participant>(options, ghost_); });
    }
    return coordinator;
  }

  std::string explain(const Finding& finding) const override {
    if (finding.checker != "liveness") return {};
    return "This is 2PC's nature, not a bug: a participant that voted yes may neither commit nor "
           "abort until it learns the coordinator's decision, and while the coordinator is down "
           "and no other participant heard it, nobody can tell it. 3PC's termination protocol "
           "removes this blocking when nodes only crash.";
  }

 private:
  TwoPcParams params_;
};

}  // namespace

ProtocolInfo two_phase_commit_info() {
  ProtocolInfo info;
  info.name = "2pc";
  info.description =
      "two-phase commit: a coordinator, N participants that log their votes and decisions, "
      "cooperative termination, and a client running a sequence of transactions";
  info.variants = two_pc_variants().infos();
  info.checkers = commit_checkers();
  info.default_checkers = {"atomic-commit"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    TwoPcParams params = read_params(setup.params, two_pc_variants().flags(setup.variant));
    return std::make_unique<TwoPcHarness>(std::move(params), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::twopc
