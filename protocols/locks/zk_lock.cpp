// The ZooKeeper lock recipe's harness (ZooKeeper Recipes and Solutions, "Locks"; Hunt et al.,
// USENIX ATC 2010), with the herd-effect counters of the server kept outside it.
#include "protocols/locks/zk_lock.hpp"

#include "protocols/locks/lock_harness.hpp"
#include "protocols/locks/protected_resource.hpp"
#include "protocols/locks/zk_lock_client.hpp"
#include "protocols/locks/zk_server.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::locks {
namespace {

struct ZkLockParams {
  int clients = 2;
  std::vector<sim::Duration> compute;
  sim::Duration stagger;
  sim::Duration tick = sim::milliseconds(100);
  ZkClientOptions client;
  sim::Duration liveness_bound = sim::seconds(30);
};

ZkLockParams read_params(Fields& p) {
  ZkLockParams out;
  out.clients = static_cast<int>(p.integer("clients", 2, 1, 1000));
  out.client.session_timeout =
      p.duration("session_timeout", sim::seconds(2), sim::milliseconds(1), sim::seconds(86400));
  out.client.ping_interval = p.duration("ping_interval", sim::milliseconds(500),
                                        sim::microseconds(1), sim::seconds(86400));
  if (out.client.ping_interval >= out.client.session_timeout) {
    p.fail("ping_interval", "a duration below session_timeout, or every session expires");
  }
  out.client.call_timeout =
      p.duration("call_timeout", sim::milliseconds(100), sim::microseconds(1));
  out.client.think = p.duration("think", sim::milliseconds(100));
  out.stagger = p.duration("stagger", sim::Duration{}, sim::Duration{}, sim::seconds(3600));
  out.client.rounds = static_cast<int>(p.integer("rounds", 1, 1, 1000000));
  out.tick = p.duration("tick", sim::milliseconds(100), sim::microseconds(1), sim::seconds(60));
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(30), sim::milliseconds(1));
  out.compute = read_per_client(p, "compute", out.clients, sim::milliseconds(100));
  return out;
}

class ZkLockHarness : public Harness {
 public:
  ZkLockHarness(ZkLockParams params, bool fenced, std::vector<std::string> checkers)
      : params_(std::move(params)), fenced_(fenced), checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
    add_lock_observers(world, ghost_);
    sim::NodeId server = world.add_node(
        "zk", [this] { return std::make_unique<ZkServer>(params_.tick, counters_); });
    sim::NodeId storage = world.add_node(
        "storage", [this] { return std::make_unique<ProtectedResource>(fenced_, ghost_); });
    for (int i = 0; i < params_.clients; ++i) {
      ZkClientOptions options = params_.client;
      options.compute = params_.compute[i];
      options.start_after = params_.stagger * i;
      world.add_node("client" + std::to_string(i + 1), [this, options, server, storage] {
        return std::make_unique<sim::FiberNode>([=, this](sim::Process& co) {
          run_zk_lock_client(co, options, server, storage, ghost_);
          ++clients_done_;
        });
      });
    }
  }

  std::vector<Finding> check(sim::World& world) override {
    return check_lock_run(run(), checkers_, world);
  }

  nlohmann::json figures() const override {
    nlohmann::json out = lock_figures(run());
    out["watch_notifications"] = counters_.notifications;
    out["children_requests"] = counters_.children_requests;
    out["lock_node_deletes"] = counters_.deletes;
    return out;
  }

  ZkLockParams params_;

 private:
  LockRun run() const { return {&ghost_, params_.clients, clients_done_, params_.liveness_bound}; }

  bool fenced_;
  std::vector<std::string> checkers_;
  LockGhost ghost_;
  ZkCounters counters_;
  int clients_done_ = 0;
};

// What a variant changes: the storage's token check, or the client's recipe (zk_lock_client.hpp).
struct ZkLockFlags {
  bool fenced = true;
  bool watch_parent = false;
  bool naive_retry = false;
};

const VariantTable<ZkLockFlags>& zk_lock_variants() {
  static const VariantTable<ZkLockFlags> table({
      {"recipe",
       "watch the predecessor, client id in the node name, storage checks the zxid",
       false,
       {}},
      {"unfenced",
       "the storage accepts every write: a holder paused past its session corrupts it",
       true,
       {.fenced = false}},
      {"naive-retry",
       "a create whose reply was lost is sent again: an orphan node blocks all",
       true,
       {.naive_retry = true}},
      {"herd",
       "every waiter watches the children list: N notifications per release",
       false,
       {.watch_parent = true}},
  });
  return table;
}

}  // namespace

ProtocolInfo zk_lock_info() {
  ProtocolInfo info;
  info.name = "zk-lock";
  info.description =
      "the ZooKeeper lock recipe (ephemeral-sequential children, watch the predecessor) on a "
      "ZooKeeper-like server; the lock node's creation zxid is the fencing token";
  info.variants = zk_lock_variants().infos();
  info.checkers = lock_checkers();
  info.default_checkers = {"fenced-mutual-exclusion"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    ZkLockParams params = read_params(setup.params);
    const ZkLockFlags& flags = zk_lock_variants().flags(setup.variant);
    params.client.watch_parent = flags.watch_parent;
    params.client.naive_retry = flags.naive_retry;
    return std::make_unique<ZkLockHarness>(std::move(params), flags.fenced, setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::locks
