#pragma once
// The authoritative store: one node, a versioned register per key, durable (synced before it
// answers). In cache-aside mode it owns the invalidations: each write is acknowledged only once
// the key's cache has confirmed dropping the key, resent until then, or once every entry the
// cache may still hold has expired (ttl_wait, options.hpp). A restarted store has lost the
// invalidations it owed, so it answers nothing until the entries they were for have expired.

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/cache/ghost.hpp"
#include "protocols/cache/options.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::cache {

struct StoreOptions {
  CacheFlags flags;
  Timing timing;
  std::vector<std::string> keys;
  std::vector<sim::NodeId> caches;
  Ghost* ghost = nullptr;
};

class StoreNode : public sim::Node {
 public:
  explicit StoreNode(StoreOptions options) : options_(std::move(options)) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& m) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;

 private:
  // A write applied whose acknowledgement waits for its invalidation.
  struct Pending {
    sim::Message request;
    std::string key;
    uint64_t version = 0;
    sim::LocalTime applied_at;
  };
  void write(sim::Context& ctx, const sim::Message& m, const struct StoreWrite& w);
  void confirm(sim::Context& ctx, const std::string& key, uint64_t version);
  void sweep(sim::Context& ctx);
  void acknowledge(sim::Context& ctx, const Pending& p);

  StoreOptions options_;
  std::vector<Pending> pending_;
  sim::LocalTime serving_from_;  // a restarted store answers nothing before this
  sim::TimerId sweep_timer_;
};

}  // namespace faultline::protocols::cache
