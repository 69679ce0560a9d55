#include "protocols/locks/lease_lock.hpp"

#include <algorithm>

#include "protocols/locks/lease_lock_client.hpp"
#include "protocols/locks/lease_lock_server.hpp"
#include "protocols/locks/lock_ghost.hpp"
#include "protocols/locks/lock_harness.hpp"
#include "protocols/locks/protected_resource.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::locks {
namespace {

struct LeaseLockParams {
  int clients = 2;
  std::vector<sim::Duration> compute;  // one per client
  sim::Duration stagger;               // client i starts i * stagger after the first
  LeaseClientOptions client;
  LeaseServerOptions server;
  sim::Duration liveness_bound = sim::seconds(30);
};

LeaseLockParams read_params(Fields& p) {
  LeaseLockParams out;
  out.clients = static_cast<int>(p.integer("clients", 2, 1, 1000));
  out.client.ttl = p.duration("ttl", sim::seconds(10), sim::milliseconds(1), sim::seconds(86400));
  out.client.think = p.duration("think", sim::milliseconds(100));
  out.client.retry_interval =
      p.duration("retry_interval", sim::milliseconds(500), sim::microseconds(1));
  out.client.call_timeout =
      p.duration("call_timeout", sim::milliseconds(100), sim::microseconds(1));
  out.stagger = p.duration("stagger", sim::Duration{}, sim::Duration{}, sim::seconds(3600));
  out.client.rounds = static_cast<int>(p.integer("rounds", 1, 1, 1000000));
  out.client.check_validity = p.boolean("check_validity", false);
  out.server.expire_on_wall_clock =
      p.choice("expiry_clock", {"wall", "monotonic"}, "wall") == "wall";
  out.server.persist = p.boolean("persist", true);
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(30), sim::milliseconds(1));
  // "compute": one duration for every client, or a list with one per client.
  out.compute = read_per_client(p, "compute", out.clients, sim::milliseconds(100));
  return out;
}

class LeaseLockHarness : public Harness {
 public:
  LeaseLockHarness(LeaseLockParams params, bool fenced, std::vector<std::string> checkers)
      : params_(std::move(params)), fenced_(fenced), checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
    add_lock_observers(world, ghost_);
    world_ = &world;
    sim::NodeId server = world.add_node(
        "lock", [options = params_.server] { return std::make_unique<LeaseLockServer>(options); });
    sim::NodeId storage = world.add_node(
        "storage", [this] { return std::make_unique<ProtectedResource>(fenced_, ghost_); });
    for (int i = 0; i < params_.clients; ++i) {
      LeaseClientOptions options = params_.client;
      options.compute = params_.compute[i];
      options.start_after = params_.stagger * i;
      world.add_node("client" + std::to_string(i + 1), [this, options, server, storage] {
        return std::make_unique<sim::FiberNode>([this, options, server, storage](sim::Process& co) {
          run_lease_client(co, options, server, storage, ghost_);
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
  LeaseLockParams params_;
  bool fenced_;
  std::vector<std::string> checkers_;
  sim::World* world_ = nullptr;
  LockGhost ghost_;
  int clients_done_ = 0;

  LockRun run() const { return {&ghost_, params_.clients, clients_done_, params_.liveness_bound}; }
};

// What a variant takes away: the storage's token check, or one of the server's Redis commands
// (lease_lock_server.hpp). The two Redis snippets run against the unfenced storage most code has.
struct LeaseLockFlags {
  bool fenced = true;
  bool require_nx = true;
  bool compare_on_release = true;
};

const VariantTable<LeaseLockFlags>& lease_lock_variants() {
  static const VariantTable<LeaseLockFlags> table({
      {"fenced",
       "the storage rejects writes whose fencing token is lower than one it accepted",
       false,
       {}},
      {"unfenced",
       "the storage accepts every write: a paused or skewed holder corrupts it",
       true,
       {.fenced = false}},
      {"set-without-nx",
       "acquire is `SET key 1 EX ttl` without NX, as tutorials copy it: it overwrites the holder",
       true,
       {.fenced = false, .require_nx = false}},
      {"unconditional-release",
       "release is a plain `DEL key`: after its lease expired, a client deletes its successor's",
       true,
       {.fenced = false, .compare_on_release = false}},
  });
  return table;
}

}  // namespace

ProtocolInfo lease_lock_info() {
  ProtocolInfo info;
  info.name = "lease-lock";
  info.description =
      "a single lease lock server (Redis SET NX PX) guarding a storage service; Kleppmann's "
      "read-compute-write clients";
  info.variants = lease_lock_variants().infos();
  info.checkers = lock_checkers();
  info.default_checkers = {"fenced-mutual-exclusion"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    LeaseLockParams params = read_params(setup.params);
    const LeaseLockFlags& flags = lease_lock_variants().flags(setup.variant);
    params.server.require_nx = flags.require_nx;
    params.server.compare_on_release = flags.compare_on_release;
    return std::make_unique<LeaseLockHarness>(std::move(params), flags.fenced, setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::locks
