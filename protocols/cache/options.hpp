#pragma once
// What the cache family's variants change, and the knobs its nodes share: one struct of flags
// (the variants table in cache.cpp names each combination), the timing parameters, and the
// placement of keys on caches (each key lives on one cache, as memcache's client-side hashing
// puts it: linearizability is per key, so one cache per key is what the promise rests on).

#include <cstdint>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace faultline::protocols::cache {

enum class Mode : uint8_t {
  kAside,    // clients read the store on a miss and fill; writers write the store
  kThrough,  // writes go through the cache to the store before they are acknowledged
  kBack,     // the cache acknowledges writes at once and writes them to the store later
};

struct CacheFlags {
  Mode mode = Mode::kAside;
  // Cache-aside: a fill is accepted only under the key's current lease, which an invalidation
  // voids; false: a fill is a plain set (the stale-fill race).
  bool lease_fills = true;
  // An entry expires `ttl` after its lease was granted, which was before the store was read;
  // true: `ttl` after the fill, however late the fill arrives.
  bool ttl_from_fill = false;
  // The store resends an invalidation until the cache confirms it, and acknowledges the write
  // only then or once every entry it may have missed has expired; false: it sends it once and
  // acknowledges the write after `invalidation_timeout` whether confirmed or not.
  bool retry_invalidations = true;
};

struct Timing {
  sim::Duration ttl = sim::milliseconds(500);
  sim::Duration lease_timeout = sim::milliseconds(100);  // a lease held this long can be replaced
  sim::Duration resend = sim::milliseconds(20);          // invalidations, flushes
  sim::Duration invalidation_timeout = sim::milliseconds(50);
  sim::Duration flush_interval = sim::milliseconds(100);  // write-back
};

// How long the store waits before it takes an unconfirmed invalidation as moot: the entries it
// would have dropped expire `ttl` after a lease granted before the write, on the cache's clock.
// Clocks drift by up to 10% each way (the nemesis's default bound), so `ttl` on a cache's slow
// clock can be ttl / 0.9 of true time while the store's fast clock counts ttl_wait in
// ttl_wait / 1.1: 1.5 x ttl covers both (1.5 / 1.1 > 1 / 0.9).
inline sim::Duration ttl_wait(sim::Duration ttl) {
  return ttl + ttl / 2;
}

// The cache (index into the cache list) that holds `key`: keys are spread over caches in order.
inline size_t cache_of(const std::vector<std::string>& keys, const std::string& key,
                       size_t caches) {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return i % caches;
  }
  return 0;
}

}  // namespace faultline::protocols::cache
