// The cache harness: one authoritative store (store.hpp), caches cache1..cacheN each holding a
// share of the keys (cache_node.hpp), reader and writer clients (client.hpp). The lessons: the
// cache-aside fill race and its fix by leases (Nishtala et al., "Scaling Memcache at Facebook",
// NSDI 2013, §3.2.1); invalidations lost under a partition; a write-back cache that crashes with
// acknowledged writes it had not flushed.
#include "protocols/cache/cache.hpp"

#include <algorithm>

#include "protocols/cache/cache_node.hpp"
#include "protocols/cache/checks.hpp"
#include "protocols/cache/client.hpp"
#include "protocols/cache/store.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/history_sometimes.hpp"
#include "protocols/kv/service_checks.hpp"
#include "protocols/linearizable.hpp"
#include "protocols/variants.hpp"

namespace faultline::protocols::cache {
namespace {

const VariantTable<CacheFlags>& cache_variants() {
  static const VariantTable<CacheFlags> table({
      {"correct",
       "cache-aside with leases: a miss hands out a lease that an invalidation voids, a fill is "
       "accepted only under it, entries expire ttl after the lease; the store resends each "
       "invalidation and acknowledges the write once the cache confirms it or once every entry "
       "it was for has expired",
       false, CacheFlags{}},
      {"write-through",
       "clients read and write through the cache; the cache writes the store before it "
       "acknowledges, and keeps the newest version it has seen",
       false, CacheFlags{.mode = Mode::kThrough}},
      {"unversioned-fill",
       "a fill is a plain set, no lease: a reader that read the store before a write fills the "
       "old value after the invalidation, and it is served until the ttl",
       true, CacheFlags{.lease_fills = false}},
      {"no-invalidation-retry",
       "the store sends each invalidation once and acknowledges the write after "
       "invalidation_timeout whether the cache confirmed it or not: a lost invalidation leaves "
       "the replaced value cached after the write was acknowledged",
       true, CacheFlags{.retry_invalidations = false}},
      {"ttl-from-fill",
       "an entry expires ttl after its fill rather than after its lease: a fill that arrives late "
       "outlives the store's wait for an invalidation a partition swallowed",
       true, CacheFlags{.ttl_from_fill = true}},
      {"write-back",
       "the cache acknowledges a write at once and writes it to the store later (every "
       "flush_interval): a crash loses acknowledged writes",
       true, CacheFlags{.mode = Mode::kBack}},
  });
  return table;
}

struct CacheParams {
  int caches = 1;
  int readers = 2;
  int writers = 1;
  Timing timing;
  ClientOptions client;
  sim::Duration writer_delay;
  sim::Duration staleness_bound;
};

CacheParams read_params(Fields& p) {
  CacheParams out;
  out.caches = static_cast<int>(p.integer("caches", 1, 1, 26));
  out.readers = static_cast<int>(p.integer("readers", 2, 0, 100));
  out.writers = static_cast<int>(p.integer("writers", 1, 0, 100));
  const int keys = static_cast<int>(p.integer("keys", 1, 1, 26));
  out.client.keys.clear();
  for (int k = 0; k < keys; ++k)
    out.client.keys.push_back(std::string(1, static_cast<char>('a' + k)));
  Timing& t = out.timing;
  t.ttl = p.duration("ttl", t.ttl, sim::milliseconds(1));
  t.lease_timeout = p.duration("lease_timeout", t.lease_timeout, sim::microseconds(1));
  t.resend = p.duration("resend", t.resend, sim::microseconds(1));
  t.invalidation_timeout =
      p.duration("invalidation_timeout", t.invalidation_timeout, sim::microseconds(1));
  t.flush_interval = p.duration("flush_interval", t.flush_interval, sim::microseconds(1));
  ClientOptions& c = out.client;
  c.operations = static_cast<int>(p.integer("operations", c.operations, 0, 100000));
  c.think = p.duration("think", c.think, sim::Duration{});
  c.call_timeout = p.duration("call_timeout", c.call_timeout, sim::microseconds(1));
  // A write waits for the store's invalidation, at worst ttl_wait: give it that and some.
  c.write_timeout =
      p.duration("write_timeout", ttl_wait(t.ttl) + sim::milliseconds(500), sim::microseconds(1));
  c.retry_backoff = p.duration("retry_backoff", c.retry_backoff, sim::microseconds(1));
  c.give_up_after = p.duration("give_up_after", c.give_up_after, sim::microseconds(1));
  out.writer_delay = p.duration("writer_delay", sim::Duration{}, sim::Duration{});
  // The correct variant's promise: an entry outlives the write that replaced it by at most ttl
  // on the cache's clock (ttl_wait of true time under drift), and a hit reaches its reader
  // within call_timeout (a later reply is dropped by the client).
  out.staleness_bound =
      p.duration("staleness_bound", ttl_wait(t.ttl) + c.call_timeout, sim::Duration{});
  return out;
}

class CacheHarness : public Harness {
 public:
  CacheHarness(CacheParams params, CacheFlags flags, std::vector<std::string> checkers)
      : params_(std::move(params)), flags_(flags), checkers_(std::move(checkers)) {
    params_.client.mode = flags.mode;
  }

  void build(sim::World& world) override {
    // The store and caches learn each other's ids at boot, after every node has been added.
    servers_.store = world.add_node("store", [this] {
      return std::make_unique<StoreNode>(
          StoreOptions{flags_, params_.timing, params_.client.keys, servers_.caches, &ghost_});
    });
    for (int i = 1; i <= params_.caches; ++i) {
      servers_.caches.push_back(world.add_node("cache" + std::to_string(i), [this] {
        return std::make_unique<CacheNode>(
            CacheOptions{flags_, params_.timing, servers_.store, &ghost_});
      }));
    }
    add_history_sometimes(world, history_, read_write_sometimes("get"));
    add_clients(world, "reader", params_.readers, false);
    add_clients(world, "writer", params_.writers, true);
  }

  std::vector<Finding> check(sim::World& world) override {
    std::vector<Finding> findings;
    const ProcessName name = [this](int64_t p) { return history_.process_name(p); };
    if (on("linearizable")) {
      if (auto f = check_linearizable(history_)) findings.push_back(*f);
    }
    if (on("bounded-staleness")) {
      if (auto f =
              check_bounded_staleness(history_.history(), name, ghost_, params_.staleness_bound)) {
        findings.push_back(*f);
      }
    }
    if (on("no-lost-write")) {
      if (auto f = check_no_lost_write(history_.history(), name, ghost_)) findings.push_back(*f);
    }
    (void)world;
    return findings;
  }

  // What the known bug each variant ships did, in the cache's terms.
  std::string explain(const Finding& finding) const override {
    const std::string& c = finding.checker;
    if (flags_.mode == Mode::kBack && (c == "no-lost-write" || c == "linearizable")) {
      return "the write-back cache acknowledged writes before the store had them, and a crash "
             "lost them with its memory";
    }
    if (!flags_.lease_fills && c != "no-lost-write") {
      return "without leases a fill is a plain set: a reader that read the store before a write "
             "filled the old value after the write's invalidation, and the cache served it";
    }
    if (!flags_.retry_invalidations && c != "no-lost-write") {
      return "the store sent the invalidation once and acknowledged the write without the cache's "
             "confirmation: a lost invalidation left the replaced value cached";
    }
    if (flags_.ttl_from_fill && c != "no-lost-write") {
      return "the entry's ttl counted from its fill, not from its lease: a late fill outlived the "
             "store's wait for an invalidation that was lost";
    }
    return {};
  }

  ClientHistory client_history() const override { return {&history_, "kv"}; }

  nlohmann::json figures() const override {
    nlohmann::json out = kv::operation_counts(history_);
    out["hits"] = ghost_.hits;
    out["misses"] = ghost_.misses;
    out["fills_accepted"] = ghost_.fills_accepted;
    out["fills_refused"] = ghost_.fills_refused;
    out["invalidations_sent"] = ghost_.invalidations_sent;
    out["writes_acked_unconfirmed"] = ghost_.writes_acked_unconfirmed;
    return out;
  }

 private:
  bool on(const char* name) const {
    return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
  }

  void add_clients(sim::World& world, const std::string& role, int count, bool writer) {
    ClientOptions options = params_.client;
    options.writer = writer;
    if (writer) options.start_after = params_.writer_delay;
    for (int i = 1; i <= count; ++i) {
      world.add_node(role + std::to_string(i), [this, options] {
        return std::make_unique<sim::FiberNode>(
            [this, options](sim::Process& co) { run_client(co, options, servers_, history_); });
      });
    }
  }

  CacheParams params_;
  CacheFlags flags_;
  std::vector<std::string> checkers_;
  Servers servers_;
  Ghost ghost_;
  HistoryRecorder history_;
};

}  // namespace

ProtocolInfo cache_info() {
  ProtocolInfo info;
  info.name = "cache";
  info.description =
      "a cache in front of a key-value store: one versioned store, caches cache1..cacheN each "
      "holding a share of the keys, readers and writers; cache-aside with leased fills, "
      "write-through and write-back";
  info.variants = cache_variants().infos();
  info.checkers = {
      {"linearizable", "reads through the cache and writes form a linearizable kv history"},
      {"bounded-staleness",
       "a read returns a value that was the store's current value at some true time within "
       "staleness_bound before the read completed"},
      {"no-lost-write", "every write acknowledged to its client was applied by the store"},
  };
  info.default_checkers = {"linearizable", "bounded-staleness", "no-lost-write"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    return std::make_unique<CacheHarness>(read_params(setup.params),
                                          cache_variants().flags(setup.variant), setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::cache
