// etcd's lock harness (etcd client v3 concurrency.Mutex over a Raft-replicated store with
// leases): builds the cluster, the protected storage and the lock clients from a scenario, and
// judges the run with the lock family's checkers (lock_harness.hpp). The lesson it teaches is
// Kleppmann's (2016): a linearizable store does not make a lock safe; a fencing token does.
#include "protocols/locks/etcd_lock.hpp"

#include "protocols/locks/etcd_lock_client.hpp"
#include "protocols/locks/lock_harness.hpp"
#include "protocols/locks/protected_resource.hpp"
#include "protocols/raft/raft_invariants.hpp"
#include "protocols/raft/raft_node.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::locks {
namespace {

struct EtcdLockParams {
  int servers = 3;
  int clients = 2;
  std::vector<sim::Duration> compute;
  sim::Duration stagger;
  EtcdLockClientOptions client;
  sim::Duration liveness_bound = sim::seconds(30);
};

EtcdLockParams read_params(Fields& p) {
  EtcdLockParams out;
  out.servers = static_cast<int>(p.integer("servers", 3, 1, 15));
  out.clients = static_cast<int>(p.integer("clients", 2, 1, 1000));
  EtcdLockClientOptions& c = out.client;
  c.ttl = p.duration("ttl", sim::seconds(2), sim::milliseconds(1), sim::seconds(86400));
  c.keepalive_interval = p.duration("keepalive_interval", c.ttl / 3, sim::microseconds(1));
  if (c.keepalive_interval >= c.ttl) {
    p.fail("keepalive_interval", "a duration below ttl, or every lease expires");
  }
  c.poll_interval =
      p.duration("poll_interval", sim::milliseconds(100), sim::microseconds(1), sim::seconds(60));
  c.timeouts.call_timeout =
      p.duration("call_timeout", sim::milliseconds(100), sim::microseconds(1));
  c.timeouts.retry_backoff =
      p.duration("retry_backoff", sim::milliseconds(20), sim::microseconds(1));
  c.think = p.duration("think", sim::milliseconds(100));
  c.rounds = static_cast<int>(p.integer("rounds", 1, 1, 1000000));
  out.stagger = p.duration("stagger", sim::Duration{}, sim::Duration{}, sim::seconds(3600));
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(30), sim::milliseconds(1));
  out.compute = read_per_client(p, "compute", out.clients, sim::milliseconds(100));
  return out;
}

class EtcdLockHarness : public Harness {
 public:
  EtcdLockHarness(EtcdLockParams params, bool fenced, std::vector<std::string> checkers)
      : params_(std::move(params)), fenced_(fenced), checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
    add_lock_observers(world, ghost_);
    for (int i = 1; i <= params_.servers; ++i) {
      // Nodes boot when the run starts, after every server has been added: servers_ is whole.
      servers_.push_back(world.add_node("s" + std::to_string(i), [this, i] {
        raft::RaftOptions options;
        options.servers = servers_;
        options.bootstrap = i == 1;  // a first leader without a contest, so faults can aim
        return std::make_unique<raft::RaftNode>(options, raft_ghost_);
      }));
    }
    sim::NodeId storage = world.add_node(
        "storage", [this] { return std::make_unique<ProtectedResource>(fenced_, ghost_); });
    for (int i = 0; i < params_.clients; ++i) {
      EtcdLockClientOptions options = params_.client;
      options.compute = params_.compute[i];
      options.start_after = params_.stagger * i;
      world.add_node("client" + std::to_string(i + 1), [this, options, storage] {
        return std::make_unique<sim::FiberNode>([=, this](sim::Process& co) {
          run_etcd_lock_client(co, options, servers_, storage, ghost_);
          ++clients_done_;
        });
      });
    }
    // The store beneath the lock is Raft's: its invariants hold here too, lease revokes included.
    raft::add_raft_invariants(world, servers_, raft_ghost_, checkers_);
  }

  std::vector<Finding> check(sim::World& world) override {
    return check_lock_run(run(), checkers_, world);
  }

  nlohmann::json figures() const override {
    nlohmann::json out = lock_figures(run());
    out["log_entries_applied"] = raft_ghost_.committed.size();
    return out;
  }

 private:
  LockRun run() const { return {&ghost_, params_.clients, clients_done_, params_.liveness_bound}; }

  EtcdLockParams params_;
  bool fenced_;
  std::vector<std::string> checkers_;
  std::vector<sim::NodeId> servers_;
  raft::RaftGhost raft_ghost_;
  LockGhost ghost_;
  int clients_done_ = 0;
};

// Whether the storage checks the lock key's create revision: the one thing a variant changes.
struct EtcdLockFlags {
  bool fenced = true;
};

const VariantTable<EtcdLockFlags>& etcd_lock_variants() {
  static const VariantTable<EtcdLockFlags> table({
      {"fenced", "the storage checks the lock key's create revision as a fencing token", false, {}},
      {"unfenced",
       "the storage accepts every write: a holder paused past its lease corrupts it",
       true,
       {.fenced = false}},
  });
  return table;
}

}  // namespace

ProtocolInfo etcd_lock_info() {
  ProtocolInfo info;
  info.name = "etcd-lock";
  info.description =
      "etcd's lock (concurrency.Mutex): a lease kept alive, a key per client under a prefix, the "
      "lowest create revision holds; on a Raft-replicated kv store whose leader expires leases";
  info.variants = etcd_lock_variants().infos();
  info.checkers = lock_checkers();
  info.checkers.push_back(
      {"election-safety", "at most one leader per term among the Raft servers"});
  info.checkers.push_back(
      {"state-machine-safety", "no two Raft servers apply different entries at one index"});
  info.default_checkers = {"fenced-mutual-exclusion"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    EtcdLockParams params = read_params(setup.params);
    return std::make_unique<EtcdLockHarness>(
        std::move(params), etcd_lock_variants().flags(setup.variant).fenced, setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::locks
