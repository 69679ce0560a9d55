// The Dynamo harness (DeCandia et al., SOSP 2007): nodes d1..dN on a ring with virtual nodes,
// each key on its N successors, R/W quorums; kv clients (get and put only) whose history the
// linearizability checker judges (kv model), and bounded liveness after the last heal.
#include "protocols/dynamo/dynamo.hpp"

#include <algorithm>

#include "protocols/dynamo/dynamo_node.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/kv/client.hpp"
#include "protocols/kv/client_params.hpp"
#include "protocols/kv/service_checks.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::dynamo {
namespace {

const VariantTable<DynamoBug>& dynamo_variants() {
  static const VariantTable<DynamoBug> table({
      {"correct",
       "versioned quorum register: a put reads R to pick a version above any seen, then writes "
       "W; a get reads R and writes the newest back to W before answering",
       false, DynamoBug::kNone},
      {"no-read-repair",
       "a get answers the newest value of R replicas without writing it back: a later get can "
       "read an older value than an earlier one",
       true, DynamoBug::kNoReadRepair},
      {"wall-clock-versions",
       "last writer wins by the coordinator's wall clock, no read phase: a node whose clock lags "
       "writes versions older than writes already acknowledged",
       true, DynamoBug::kWallClockVersions},
      {"sloppy-quorum",
       "short of a quorum, the next nodes on the ring stand in for silent home replicas (hinted "
       "handoff): under a partition, read and write quorums no longer meet",
       true, DynamoBug::kSloppyQuorum},
  });
  return table;
}

struct DynamoParams {
  int nodes = 5;
  int clients = 3;
  DynamoOptions node;
  kv::KvClientOptions client;
  sim::Duration liveness_bound = sim::seconds(5);
};

DynamoParams read_params(Fields& p) {
  DynamoParams out;
  out.nodes = static_cast<int>(p.integer("nodes", 5, 1, 100));
  out.clients = static_cast<int>(p.integer("clients", 3, 1, 100));
  const int64_t n = p.integer("replicas", std::min(3, out.nodes), 1, out.nodes);
  out.node.replicas = static_cast<size_t>(n);
  out.node.read_quorum =
      static_cast<size_t>(p.integer("read_quorum", std::min<int64_t>(2, n), 1, n));
  out.node.write_quorum =
      static_cast<size_t>(p.integer("write_quorum", std::min<int64_t>(2, n), 1, n));
  out.node.vnodes = static_cast<size_t>(p.integer("vnodes", 16, 1, 4096));
  out.node.phase_timeout = p.duration("phase_timeout", sim::milliseconds(40), sim::microseconds(1));
  out.node.handoff_interval =
      p.duration("handoff_interval", sim::milliseconds(200), sim::microseconds(1));
  out.liveness_bound = p.duration("liveness_bound", out.liveness_bound, sim::milliseconds(1));
  // The store is a register per key: gets and puts only, unless a scenario asks otherwise (and
  // then it is told why not).
  const bool appends_set = p.has("append_percent"), cas_set = p.has("cas_percent");
  kv::read_kv_client_params(p, out.client);
  if (!appends_set) out.client.append_percent = 0;
  if (!cas_set) out.client.cas_percent = 0;
  if (out.client.append_percent != 0) {
    p.fail("append_percent", "0: a Dynamo store serves gets and puts only");
  }
  if (out.client.cas_percent != 0) {
    p.fail("cas_percent", "0: a Dynamo store serves gets and puts only");
  }
  // One attempt per put, as the quorum register assumes (one writer, one write): a put retried
  // at another coordinator is written again under a newer version, and the first attempt's
  // stray copies can outlive a later write. `retry_puts: true` shows that.
  out.client.write_attempts = p.boolean("retry_puts", false) ? 0 : 1;
  return out;
}

class DynamoHarness : public Harness {
 public:
  DynamoHarness(DynamoParams params, DynamoBug bug, std::vector<std::string> checkers)
      : params_(std::move(params)), checkers_(std::move(checkers)) {
    params_.node.bug = bug;
  }

  void build(sim::World& world) override {
    std::vector<std::string> names;
    for (int i = 1; i <= params_.nodes; ++i) names.push_back("d" + std::to_string(i));
    for (int i = 0; i < params_.nodes; ++i) {
      // Nodes boot when the run starts, after every node has been added: nodes_ is whole.
      nodes_.push_back(world.add_node(names[static_cast<size_t>(i)], [this, names] {
        DynamoOptions options = params_.node;
        options.nodes = nodes_;
        options.names = names;
        return std::make_unique<DynamoNode>(options);
      }));
    }
    kv::add_kv_clients(world, params_.clients, params_.client, nodes_, history_, clients_done_);
  }

  std::vector<Finding> check(sim::World& world) override {
    std::vector<Finding> findings;
    kv::judge_kv_service(findings, checkers_, world, history_, clients_done_ < params_.clients,
                         params_.liveness_bound);
    return findings;
  }

  nlohmann::json figures() const override { return kv::operation_counts(history_); }
  ClientHistory client_history() const override { return {&history_, "kv"}; }

 private:
  DynamoParams params_;
  std::vector<std::string> checkers_;
  std::vector<sim::NodeId> nodes_;
  HistoryRecorder history_;
  int clients_done_ = 0;
};

}  // namespace

ProtocolInfo dynamo_info() {
  ProtocolInfo info;
  info.name = "dynamo";
  info.description =
      "a Dynamo-style store (DeCandia et al., SOSP 2007): nodes d1..dN on a hash ring with "
      "virtual nodes, each key on its N successors, R/W quorums; kv clients doing gets and puts";
  info.variants = dynamo_variants().infos();
  info.checkers = {
      {"linearizable", "the clients' kv history is linearizable (kv model)"},
      {"liveness", "after the last fault heals, a client write completes within liveness_bound",
       true},
  };
  info.default_checkers = {"linearizable"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    return std::make_unique<DynamoHarness>(read_params(setup.params),
                                           dynamo_variants().flags(setup.variant), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::dynamo
