#include "protocols/locks/lease_lock.hpp"

#include <algorithm>

#include "checkers/safety/bounded_liveness.hpp"
#include "checkers/safety/mutual_exclusion.hpp"
#include "protocols/locks/lease_lock_client.hpp"
#include "protocols/locks/lease_lock_server.hpp"
#include "protocols/locks/lock_ghost.hpp"
#include "protocols/locks/protected_resource.hpp"

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
  const nlohmann::json* compute = p.raw("compute");
  if (!compute) {
    out.compute.assign(out.clients, sim::milliseconds(100));
  } else if (compute->is_array()) {
    if (compute->size() != static_cast<size_t>(out.clients)) {
      p.fail("compute", "one duration per client (" + std::to_string(out.clients) + ")");
    }
    for (size_t i = 0; i < compute->size(); ++i) {
      out.compute.push_back(
          parse_duration_at(p, p.path_of("compute") + "[" + std::to_string(i) + "]", (*compute)[i],
                            sim::Duration{}, sim::Duration::max()));
    }
  } else {
    sim::Duration d =
        parse_duration_at(p, p.path_of("compute"), *compute, sim::Duration{}, sim::Duration::max());
    out.compute.assign(out.clients, d);
  }
  return out;
}

class LeaseLockHarness : public Harness {
 public:
  LeaseLockHarness(LeaseLockParams params, bool fenced, std::vector<std::string> checkers)
      : params_(std::move(params)), fenced_(fenced), checkers_(std::move(checkers)) {}

  void build(sim::World& world) override {
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

  std::vector<checkers::Finding> check(sim::World& world) override {
    std::vector<checkers::Finding> findings;
    auto enabled = [&](const char* name) {
      return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
    };
    // Findings carry the scenario's checker names, which `expect` and the summary use.
    auto add = [&](std::vector<checkers::Finding> found, const char* checker) {
      for (auto& f : found) {
        f.checker = checker;
        findings.push_back(std::move(f));
      }
    };
    if (enabled("mutual-exclusion")) {
      add(checkers::check_mutual_exclusion(ghost_.holdings), "mutual-exclusion");
    }
    if (enabled("fenced-mutual-exclusion")) {
      add(checkers::check_fenced_access(ghost_.accesses), "fenced-mutual-exclusion");
    }
    if (enabled("liveness") && clients_done_ < params_.clients) {
      checkers::BoundedLivenessInput input;
      input.progress = "a client acquires the lock";
      input.bound_ns = params_.liveness_bound.ns();
      input.run_end_ns = world.now().ns();
      // Still faulty at the end: the window never opened, which proves nothing.
      input.healed_at_ns = world.healthy_since() ? world.healthy_since()->ns() : world.now().ns();
      input.progress_at_ns = ghost_.acquisitions_at_ns;
      auto result = checkers::check_bounded_liveness(input);
      if (result.finding) add({*result.finding}, "liveness");
    }
    return findings;
  }

  nlohmann::json figures() const override {
    int64_t accepted = std::count_if(ghost_.accesses.begin(), ghost_.accesses.end(),
                                     [](const auto& a) { return a.accepted; });
    return {{"acquisitions", ghost_.acquisitions_at_ns.size()},
            {"writes_accepted", accepted},
            {"writes_rejected", static_cast<int64_t>(ghost_.accesses.size()) - accepted},
            {"clients_done", clients_done_}};
  }

 private:
  LeaseLockParams params_;
  bool fenced_;
  std::vector<std::string> checkers_;
  sim::World* world_ = nullptr;
  LockGhost ghost_;
  int clients_done_ = 0;
};

}  // namespace

ProtocolInfo lease_lock_info() {
  ProtocolInfo info;
  info.name = "lease-lock";
  info.description =
      "a single lease lock server (Redis SET NX PX) guarding a storage service; Kleppmann's "
      "read-compute-write clients";
  info.variants = {
      {"fenced", "the storage rejects writes whose fencing token is lower than one it accepted",
       false},
      {"unfenced", "the storage accepts every write: a paused or skewed holder corrupts it", true},
  };
  info.checkers = {
      {"mutual-exclusion", "no two clients believe they hold the lock at the same true time"},
      {"fenced-mutual-exclusion", "the storage never accepts a token lower than one it accepted"},
      {"liveness", "after the last fault heals, a client acquires the lock within liveness_bound"},
  };
  info.default_checkers = {"fenced-mutual-exclusion"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    LeaseLockParams params = read_params(setup.params);
    return std::make_unique<LeaseLockHarness>(std::move(params), setup.variant == "fenced",
                                              setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::locks
