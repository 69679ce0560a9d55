// Redlock's harness: antirez's "Distributed locks with Redis" (the Redlock algorithm) on five
// LeaseLockServers, judged as Kleppmann's "How to do distributed locking" (2016) judges it.
#include "protocols/locks/redlock.hpp"

#include "protocols/locks/lease_lock_server.hpp"
#include "protocols/locks/lock_harness.hpp"
#include "protocols/locks/protected_resource.hpp"
#include "protocols/locks/redlock_client.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::locks {
namespace {

struct RedlockParams {
  int clients = 2;
  int servers = 5;
  std::vector<sim::Duration> compute;
  sim::Duration stagger;
  RedlockClientOptions client;
  sim::Duration liveness_bound = sim::seconds(30);
};

RedlockParams read_params(Fields& p) {
  RedlockParams out;
  out.clients = static_cast<int>(p.integer("clients", 2, 1, 1000));
  out.servers = static_cast<int>(p.integer("servers", 5, 1, 99));
  out.client.ttl = p.duration("ttl", sim::seconds(10), sim::milliseconds(1), sim::seconds(86400));
  // Antirez's 0.01; at most 0.5, since an allowance of the whole TTL leaves no validity.
  double drift = p.number("drift_factor", 0.01, 0.0, 0.5);
  out.client.drift_ppm = static_cast<int64_t>(drift * 1'000'000 + 0.5);
  out.client.think = p.duration("think", sim::milliseconds(100));
  out.client.retry_delay = p.duration("retry_delay", sim::milliseconds(200), sim::microseconds(1));
  out.client.call_timeout = p.duration("call_timeout", sim::milliseconds(50), sim::microseconds(1));
  out.stagger = p.duration("stagger", sim::Duration{}, sim::Duration{}, sim::seconds(3600));
  out.client.rounds = static_cast<int>(p.integer("rounds", 1, 1, 1000000));
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(30), sim::milliseconds(1));
  out.compute = read_per_client(p, "compute", out.clients, sim::milliseconds(100));
  return out;
}

class RedlockHarness : public Harness {
 public:
  RedlockHarness(RedlockParams params, LeaseServerOptions server, std::vector<std::string> checkers)
      : params_(std::move(params)), server_(server), checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
    add_lock_observers(world, ghost_);
    std::vector<sim::NodeId> servers;
    for (int i = 0; i < params_.servers; ++i) {
      servers.push_back(world.add_node("redis" + std::to_string(i + 1), [options = server_] {
        return std::make_unique<LeaseLockServer>(options);
      }));
    }
    sim::NodeId storage = world.add_node(
        "storage", [this] { return std::make_unique<ProtectedResource>(false, ghost_); });
    for (int i = 0; i < params_.clients; ++i) {
      RedlockClientOptions options = params_.client;
      options.compute = params_.compute[i];
      options.start_after = params_.stagger * i;
      world.add_node("client" + std::to_string(i + 1), [this, options, servers, storage] {
        return std::make_unique<sim::FiberNode>([=, this](sim::Process& co) {
          run_redlock_client(co, options, servers, storage, ghost_);
          ++clients_done_;
        });
      });
    }
  }

  std::vector<Finding> check(sim::World& world) override {
    return check_lock_run(run(), checkers_, world);
  }
  nlohmann::json figures() const override { return lock_figures(run()); }

 private:
  LockRun run() const { return {&ghost_, params_.clients, clients_done_, params_.liveness_bound}; }

  RedlockParams params_;
  LeaseServerOptions server_;
  std::vector<std::string> checkers_;
  LockGhost ghost_;
  int clients_done_ = 0;
};

// The servers' two mechanisms a bug variant takes away (lease_lock_server.hpp).
struct RedlockFlags {
  bool expire_on_wall_clock = false;
  bool persist = true;
};

const VariantTable<RedlockFlags>& redlock_variants() {
  static const VariantTable<RedlockFlags> table({
      {"monotonic",
       "servers expire keys on their monotonic clocks and fsync every grant",
       false,
       {}},
      {"wall-clock",
       "servers expire keys on their wall clocks: an NTP step expires one early",
       true,
       {.expire_on_wall_clock = true}},
      {"unpersisted",
       "servers keep keys in memory only: a restarted server grants again",
       true,
       {.persist = false}},
  });
  return table;
}

}  // namespace

ProtocolInfo redlock_info() {
  ProtocolInfo info;
  info.name = "redlock";
  info.description =
      "Redlock: a majority of N independent Redis lock servers within the validity time; no "
      "fencing token, so the storage cannot reject a stale holder";
  info.variants = redlock_variants().infos();
  info.checkers = lock_checkers();
  info.default_checkers = {"mutual-exclusion"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    RedlockParams params = read_params(setup.params);
    LeaseServerOptions server;
    const RedlockFlags& flags = redlock_variants().flags(setup.variant);
    server.expire_on_wall_clock = flags.expire_on_wall_clock;
    server.persist = flags.persist;
    return std::make_unique<RedlockHarness>(std::move(params), server, setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::locks
