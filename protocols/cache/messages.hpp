#pragma once
// The wire vocabulary of a cache in front of a key-value store. Cache-aside (the clients fill the
// cache): a reader asks the cache (CacheGet), and on a miss reads the store (StoreRead) and fills
// the cache (CacheFill) under the lease the miss handed out; a writer writes the store
// (StoreWrite), which invalidates the key's cache (Invalidate) before it acknowledges.
// Write-through and write-back (the cache writes the store): clients send reads and writes to the
// cache only (CacheGet, CacheWrite) and the cache reads and writes the store itself. Leases after
// Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013, §3.2.1.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::protocols::cache {

// Reader → cache: the key's value, if cached.
struct CacheGet {
  static constexpr const char* kName = "CacheGet";
  static constexpr const char* kLabel = "{key}";
  std::string key;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CacheGet, key)

// Cache → reader: a hit (or a fill taken).
struct CacheHit {
  static constexpr const char* kName = "CacheHit";
  static constexpr const char* kLabel = "{value}";
  std::string value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CacheHit, value)

// Cache → reader (cache-aside): a miss. `lease` nonzero: read the store and fill under it; zero:
// another reader holds the key's lease, wait and ask again (memcache's "hot miss").
struct CacheMiss {
  static constexpr const char* kName = "CacheMiss";
  static constexpr const char* kLabel = "lease {lease}";
  uint64_t lease = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CacheMiss, lease)

// Reader → cache (cache-aside): the value read from the store after a miss, under its lease.
// Answered with CacheHit (taken: the reader may return the value) or CacheMiss{0} (refused).
struct CacheFill {
  static constexpr const char* kName = "CacheFill";
  static constexpr const char* kLabel = "{key}={value} v{version}";
  std::string key;
  std::string value;
  uint64_t version = 0;
  uint64_t lease = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CacheFill, key, value, version, lease)

// Writer → cache (write-through, write-back): write `value`; `write` is unique in the world.
struct CacheWrite {
  static constexpr const char* kName = "CacheWrite";
  static constexpr const char* kLabel = "{key}={value}";
  std::string key;
  std::string value;
  uint64_t write = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CacheWrite, key, value, write)

struct CacheWriteAck {
  static constexpr const char* kName = "CacheWriteAck";
  static constexpr const char* kLabel = "w{write}";
  uint64_t write = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CacheWriteAck, write)

// → store: the key's value and version (0: never written, the value is ""). `asked` comes back in
// the answer: a read-through cache's local time at the ask, from which the entry's ttl counts
// (the value was current no earlier than that, however late the answer arrives).
struct StoreRead {
  static constexpr const char* kName = "StoreRead";
  static constexpr const char* kLabel = "{key}";
  std::string key;
  int64_t asked = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StoreRead, key, asked)

struct StoreValue {
  static constexpr const char* kName = "StoreValue";
  static constexpr const char* kLabel = "{key}={value} v{version}";
  std::string key;
  std::string value;
  uint64_t version = 0;
  int64_t asked = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StoreValue, key, value, version, asked)

// → store: apply `value` under the next version. `write` is unique in the world: a duplicate or a
// resend of a write already applied is acknowledged with its version, not applied again.
struct StoreWrite {
  static constexpr const char* kName = "StoreWrite";
  static constexpr const char* kLabel = "{key}={value} w{write}";
  std::string key;
  std::string value;
  uint64_t write = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StoreWrite, key, value, write)

struct StoreWriteAck {
  static constexpr const char* kName = "StoreWriteAck";
  static constexpr const char* kLabel = "w{write} v{version}";
  uint64_t write = 0;
  uint64_t version = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StoreWriteAck, write, version)

// Store → cache (cache-aside): drop the key and void its lease; `version` is the write's.
struct Invalidate {
  static constexpr const char* kName = "Invalidate";
  static constexpr const char* kLabel = "{key} v{version}";
  std::string key;
  uint64_t version = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Invalidate, key, version)

// Cache → store: the key was dropped at or after write `version`.
struct InvalidateAck {
  static constexpr const char* kName = "InvalidateAck";
  static constexpr const char* kLabel = "{key} v{version}";
  std::string key;
  uint64_t version = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(InvalidateAck, key, version)

// The store's durable record of a key, and of a write it applied (for duplicates).
struct StoredKey {
  static constexpr const char* kName = "StoredKey";
  std::string value;
  uint64_t version = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StoredKey, value, version)

struct AppliedWrite {
  static constexpr const char* kName = "AppliedWrite";
  uint64_t version = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AppliedWrite, version)

// The store has booted before: a boot that finds it is a restart.
struct Booted {
  static constexpr const char* kName = "Booted";
  bool yes = true;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Booted, yes)

}  // namespace faultline::protocols::cache
