// Single-decree Paxos (Lamport, "Paxos Made Simple", 2001, §2): the harness that wires acceptors,
// proposers and learners into a world, and judges a run by agreement and validity (§2.1's safety
// requirements) and by bounded liveness (§2.4: progress once the system is healthy).
#include "protocols/paxos/paxos.hpp"

#include <algorithm>

#include "checkers/safety/agreement.hpp"
#include "protocols/liveness.hpp"
#include "protocols/paxos/acceptor.hpp"
#include "protocols/paxos/learner.hpp"
#include "protocols/paxos/paxos_ghost.hpp"
#include "protocols/paxos/proposer.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::paxos {
namespace {

// What each known-bug variant turns off or on.
struct PaxosBugs {
  bool forget_promise_on_restart = false;
  bool ignore_highest_accepted = false;
  bool fixed_retry = false;
};

const VariantTable<PaxosBugs>& paxos_variants() {
  static const VariantTable<PaxosBugs> table({
      {"correct",
       "acceptors sync promise and accepted proposal before replying; proposers adopt "
       "the highest accepted value and back off randomly",
       false,
       {}},
      {"forget-promise-on-restart",
       "acceptors keep promise and accepted proposal in memory only: a restart forgets them",
       true,
       {.forget_promise_on_restart = true}},
      {"ignore-highest-accepted",
       "a proposer proposes its own value even when a promise reports an accepted one",
       true,
       {.ignore_highest_accepted = true}},
      {"fixed-retry",
       "proposers retry after the same fixed delay: duelling proposers livelock",
       true,
       {.fixed_retry = true}},
  });
  return table;
}

struct PaxosParams {
  int acceptors = 3;
  int proposers = 2;
  int learners = 1;
  sim::Duration stagger;  // proposer i starts (i-1) * stagger after boot
  sim::Duration retry_delay = sim::milliseconds(20);
  sim::Duration round_timeout = sim::milliseconds(200);
  sim::Duration liveness_bound = sim::seconds(5);
};

PaxosParams read_params(Fields& p) {
  PaxosParams out;
  out.acceptors = static_cast<int>(p.integer("acceptors", 3, 1, 99));
  out.proposers = static_cast<int>(p.integer("proposers", 2, 1, 99));
  out.learners = static_cast<int>(p.integer("learners", 1, 0, 99));
  out.stagger = p.duration("stagger", sim::Duration{}, sim::Duration{}, sim::seconds(3600));
  out.retry_delay =
      p.duration("retry_delay", out.retry_delay, sim::microseconds(1), sim::seconds(3600));
  out.round_timeout =
      p.duration("round_timeout", out.round_timeout, sim::microseconds(1), sim::seconds(3600));
  out.liveness_bound = p.duration("liveness_bound", out.liveness_bound, sim::milliseconds(1));
  return out;
}

class PaxosHarness : public Harness {
 public:
  PaxosHarness(PaxosParams params, PaxosBugs bugs, std::vector<std::string> checkers)
      : params_(std::move(params)), bugs_(bugs), checkers_(std::move(checkers)) {
    ghost_.majority = static_cast<size_t>(params_.acceptors / 2 + 1);
  }

  void build(sim::World& world) override {
    world.add_sometimes("a value is chosen", [this] { return !ghost_.decisions.empty(); });
    world.add_ghost_state([this](sim::StateHasher& hasher) { ghost_.hash(hasher); });
    AcceptorOptions acceptor_options{.persist = !bugs_.forget_promise_on_restart};
    std::vector<sim::NodeId> acceptors, learners;
    for (int i = 1; i <= params_.acceptors; ++i) {
      acceptors.push_back(world.add_node("a" + std::to_string(i), [this, acceptor_options] {
        return std::make_unique<Acceptor>(acceptor_options, ghost_);
      }));
    }
    // Learners before proposers so that proposers know their ids.
    for (int i = 1; i <= params_.learners; ++i) {
      learners.push_back(world.add_node("l" + std::to_string(i),
                                        [this] { return std::make_unique<Learner>(ghost_); }));
    }
    for (int i = 1; i <= params_.proposers; ++i) {
      ProposerOptions options;
      options.index = static_cast<uint32_t>(i);
      options.value = "v" + std::to_string(i);
      options.acceptors = acceptors;
      options.learners = learners;
      options.start_after = params_.stagger * (i - 1);
      options.retry_delay = params_.retry_delay;
      options.round_timeout = params_.round_timeout;
      options.randomized_backoff = !bugs_.fixed_retry;
      options.ignore_highest_accepted = bugs_.ignore_highest_accepted;
      world.add_node("p" + std::to_string(i),
                     [this, options] { return std::make_unique<Proposer>(options, ghost_); });
    }
  }

  std::vector<Finding> check(sim::World& world) override {
    std::vector<Finding> findings;
    auto enabled = [&](const char* name) {
      return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
    };
    if (enabled("agreement") || enabled("validity")) {
      for (Finding& f : checkers::check_agreement(ghost_.decisions, ghost_.proposals)) {
        if (!enabled(f.checker.c_str())) continue;
        findings.push_back(highlight(std::move(f)));
      }
    }
    if (enabled("liveness")) {
      if (auto f = check_liveness(world)) findings.push_back(std::move(*f));
    }
    return findings;
  }

  nlohmann::json figures() const override {
    int64_t first = -1;
    for (const auto& d : ghost_.decisions) {
      if (first < 0 || d.at_ns < first) first = d.at_ns;
    }
    return {{"decisions", ghost_.decisions.size()},
            {"accepts", ghost_.accepts},
            {"first_decision_ns", first}};
  }

 private:
  // The agreement checker names deciders; a majority of acceptors is drawn as its members.
  Finding highlight(Finding f) const {
    std::vector<std::string> nodes;
    for (const std::string& who : f.involved) {
      auto it = ghost_.nodes_of.find(who);
      if (it == ghost_.nodes_of.end()) {
        nodes.push_back(who);
      } else {
        nodes.insert(nodes.end(), it->second.begin(), it->second.end());
      }
    }
    f.involved = std::move(nodes);
    return f;
  }

  std::optional<Finding> check_liveness(sim::World& world) const {
    std::vector<int64_t> chosen_at = ghost_.decision_times();
    // Single-decree: a value chosen before the heal stays chosen; nothing more is due.
    const int64_t healed_at = liveness_window_opens_ns(world, LivenessWindow::kHealed);
    if (std::any_of(chosen_at.begin(), chosen_at.end(),
                    [&](int64_t t) { return t <= healed_at; })) {
      chosen_at.push_back(healed_at);
    }
    std::vector<std::string> proposers;
    for (sim::NodeId id = 0; id < world.node_count(); ++id) {
      if (world.node_name(id).starts_with("p")) proposers.push_back(world.node_name(id));
    }
    auto f = bounded_liveness_finding(world, {.progress = "a value chosen",
                                              .bound = params_.liveness_bound,
                                              .progress_at_ns = std::move(chosen_at),
                                              .involved = std::move(proposers)});
    if (f) f->message += "; the proposers kept pre-empting each other's ballots";
    return f;
  }

  PaxosParams params_;
  PaxosBugs bugs_;
  std::vector<std::string> checkers_;
  PaxosGhost ghost_;
};

}  // namespace

ProtocolInfo paxos_info() {
  ProtocolInfo info;
  info.name = "paxos";
  info.description =
      "single-decree Paxos (Lamport, Paxos Made Simple, 2001): acceptors a1..aN, proposers "
      "p1..pM, learners l1..lK";
  info.variants = paxos_variants().infos();
  info.checkers = {
      {"agreement",
       "no two deciders (learners, proposers, acceptor majorities) decide "
       "different values"},
      {"validity", "a decided value is one some proposer proposed"},
      {"liveness", "after the last fault heals, a value is chosen within liveness_bound", true},
  };
  info.default_checkers = {"agreement", "validity"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    PaxosParams params = read_params(setup.params);
    return std::make_unique<PaxosHarness>(std::move(params), paxos_variants().flags(setup.variant),
                                          setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::paxos
