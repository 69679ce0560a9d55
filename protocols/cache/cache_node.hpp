#pragma once
// A cache node: entries in memory only (a crash empties it), each expiring `ttl` after it was
// filled under a lease (cache-aside) or written (write-through, write-back). Cache-aside: a miss
// hands out a lease, the one reader allowed to fill the key; an invalidation drops the key and
// voids the lease, so a fill of a value read before the write is refused (Nishtala et al., NSDI
// 2013, §3.2.1). Write-through: a write is acknowledged after the store applied it; write-back:
// at once, queued in memory and written to the store every flush_interval.

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "protocols/cache/ghost.hpp"
#include "protocols/cache/messages.hpp"
#include "protocols/cache/options.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::cache {

struct CacheOptions {
  CacheFlags flags;
  Timing timing;
  sim::NodeId store = sim::kNoNode;
  Ghost* ghost = nullptr;
};

class CacheNode : public sim::Node {
 public:
  explicit CacheNode(CacheOptions options) : options_(std::move(options)) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& m) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;

 private:
  struct Entry {
    std::string value;
    uint64_t version = 0;
    sim::LocalTime expires;
  };
  struct Lease {
    uint64_t token = 0;
    sim::LocalTime granted;
  };

  const Entry* live(sim::Context& ctx, const std::string& key);
  void get(sim::Context& ctx, const sim::Message& m, const std::string& key);
  void fill(sim::Context& ctx, const sim::Message& m, const CacheFill& f);
  void invalidate(sim::Context& ctx, const sim::Message& m, const Invalidate& inv);
  void write(sim::Context& ctx, const sim::Message& m, const CacheWrite& w);
  void store_value(sim::Context& ctx, const StoreValue& v);
  void store_ack(sim::Context& ctx, const StoreWriteAck& ack);
  bool dirty(const std::string& key) const;
  void flush(sim::Context& ctx);

  CacheOptions options_;
  sim::LocalTime started_;  // this incarnation's boot, on the monotonic clock
  std::map<std::string, Entry> entries_;
  std::map<std::string, Lease> leases_;
  // Write-through and write-back: the newest store version seen per key (a read of the store
  // answered late must not put an older value over a newer write), and the readers waiting for
  // the store.
  std::map<std::string, uint64_t> known_;
  std::map<std::string, std::vector<sim::Message>> readers_;
  struct WriteThrough {
    sim::Message request;
    sim::LocalTime sent;
  };
  std::map<uint64_t, WriteThrough> writes_;  // write-through: the writers' requests by write id
  std::deque<CacheWrite> queue_;             // write-back: acknowledged, not yet in the store
};

}  // namespace faultline::protocols::cache
