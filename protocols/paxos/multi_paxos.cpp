// The Multi-Paxos harness (Lamport, "Paxos Made Simple", 2001, §3): builds the servers and their
// kv clients from a scenario, checks per-slot agreement after every event, and at the end judges
// the clients' history with the linearizability checker (kv model) and the run with bounded
// liveness.
#include "protocols/paxos/multi_paxos.hpp"

#include <algorithm>
#include <utility>

#include "protocols/history_recorder.hpp"
#include "protocols/kv/client.hpp"
#include "protocols/kv/cluster_params.hpp"
#include "protocols/kv/service_checks.hpp"
#include "protocols/paxos/multi_paxos_server.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::paxos {
namespace {

struct MultiPaxosParams : kv::ClusterParams {
  MultiPaxosOptions server;
};

MultiPaxosParams read_params(Fields& p) {
  MultiPaxosParams out;
  static_cast<kv::ClusterParams&>(out) =
      kv::read_cluster_params(p, {"takeover_timeout", "(randomized, or candidates duel)",
                                  "or followers never hear a leader in time"});
  out.server.takeover_min = out.timeout_min;
  out.server.takeover_max = out.timeout_max;
  out.server.heartbeat = out.heartbeat;
  return out;
}

const VariantTable<MultiPaxosBug>& multi_paxos_variants() {
  static const VariantTable<MultiPaxosBug> table({
      {"correct",
       "acceptors sync promise and votes before replying; a new leader adopts every reported "
       "value and fills gaps with no-ops",
       false, MultiPaxosBug::kNone},
      {"forget-promise-on-restart",
       "acceptors keep promise and votes in memory only: a restart forgets them", true,
       MultiPaxosBug::kForgetPromiseOnRestart},
      {"trust-own-log",
       "a new leader adopts reported values only up to the end of its own log and puts new "
       "commands right after it, skipping phase 1's answer for later slots",
       true, MultiPaxosBug::kTrustOwnLog},
      {"leader-local-reads",
       "the leader answers gets from its own state, outside the log: a replaced leader that has "
       "not heard of it serves stale reads",
       true, MultiPaxosBug::kLocalReads},
  });
  return table;
}

class MultiPaxosHarness : public Harness {
 public:
  MultiPaxosHarness(MultiPaxosParams params, MultiPaxosBug bug, std::vector<std::string> checkers)
      : params_(std::move(params)), checkers_(std::move(checkers)) {
    params_.server.bug = bug;
    ghost_.majority = static_cast<size_t>(params_.servers / 2 + 1);
  }

  void build(sim::World& world) override {
    world.add_sometimes("a slot's value is chosen", [this] { return ghost_.chosen_slots > 0; });
    world.add_ghost_state([this](sim::StateHasher& hasher) { ghost_.hash(hasher); });
    for (int i = 1; i <= params_.servers; ++i) {
      std::string name = "s" + std::to_string(i);
      // Nodes boot when the run starts, after every server has been added: servers_ is whole.
      servers_.push_back(world.add_node(name, [this, name, i] {
        MultiPaxosOptions options = params_.server;
        options.servers = servers_;
        options.index = static_cast<uint32_t>(i);
        options.bootstrap = name == params_.bootstrap_leader;
        return std::make_unique<MultiPaxosServer>(options, ghost_);
      }));
    }
    kv::add_kv_clients(world, params_.clients, params_.client, servers_, history_, clients_done_);
    if (enabled("agreement")) {
      MultiPaxosGhost* g = &ghost_;
      // Reported once: the ghost keeps the first conflict and the invariant takes it.
      world.add_invariant("agreement", [g]() -> std::optional<Finding> {
        return std::exchange(g->conflict, std::nullopt);
      });
    }
  }

  std::vector<Finding> check(sim::World& world) override {
    std::vector<Finding> findings;
    kv::judge_kv_service(findings, checkers_, world, history_, clients_done_ < params_.clients,
                         params_.liveness_bound);
    return findings;
  }

  ClientHistory client_history() const override { return {&history_, "kv"}; }

  nlohmann::json figures() const override {
    nlohmann::json figures = kv::operation_counts(history_);
    figures.update(nlohmann::json{{"slots_chosen", ghost_.chosen_slots},
                                  {"leaders_elected", ghost_.leaders_elected},
                                  {"clients_done", clients_done_}});
    return figures;
  }

 private:
  bool enabled(const char* name) const {
    return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
  }

  MultiPaxosParams params_;
  std::vector<std::string> checkers_;
  std::vector<sim::NodeId> servers_;
  MultiPaxosGhost ghost_;
  HistoryRecorder history_;
  int clients_done_ = 0;
};

}  // namespace

ProtocolInfo multi_paxos_info() {
  ProtocolInfo info;
  info.name = "multi-paxos";
  info.description =
      "Multi-Paxos (Lamport, Paxos Made Simple, 2001, §3) replicating a key-value store: a "
      "distinguished leader elected by phase 1 over all slots, heartbeats, catch-up of lagging "
      "replicas; servers s1..sN, Jepsen-style kv clients";
  info.variants = multi_paxos_variants().infos();
  info.checkers = {
      {"agreement", "no slot is ever decided with two values (acceptor majorities, learners)"},
      {"linearizable", "the clients' kv history is linearizable (kv model)"},
      {"liveness",
       "after the last fault heals, a leader serves a client write within liveness_bound", true},
  };
  info.default_checkers = {"agreement", "linearizable"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    MultiPaxosParams params = read_params(setup.params);
    return std::make_unique<MultiPaxosHarness>(
        std::move(params), multi_paxos_variants().flags(setup.variant), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::paxos
