#pragma once
// The wire vocabulary of the lock family: a lease lock server in the shape of Redis's
// `SET key value NX PX ttl` (acquire) and compare-and-delete script (release), and the storage
// service the lock protects, which may check fencing tokens (Kleppmann, "How to do distributed
// locking", 2016).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::protocols::locks {

// SET key owner NX PX ttl: take the lock if nobody holds it (or the holder's lease expired).
struct Acquire {
  static constexpr const char* kName = "Acquire";
  std::string key;
  uint64_t owner = 0;  // the client's random value, so that only it can release
  int64_t ttl_ns = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Acquire, key, owner, ttl_ns)

struct Granted {
  static constexpr const char* kName = "Granted";
  uint64_t token = 0;  // fencing token: grows with every grant of this server
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Granted, token)

struct Denied {
  static constexpr const char* kName = "Denied";
  int64_t retry_after_ns = 0;  // how long the current lease has left, on the server's clock
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Denied, retry_after_ns)

// Delete the key only if it still holds `owner` (the Lua compare-and-delete of the Redis docs).
struct Release {
  static constexpr const char* kName = "Release";
  std::string key;
  uint64_t owner = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Release, key, owner)

struct Released {
  static constexpr const char* kName = "Released";
  bool deleted = false;  // false: the lease had expired and someone else may hold the key now
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Released, deleted)

// The protected storage: a value per resource, read-modify-written by lock holders.
struct Read {
  static constexpr const char* kName = "Read";
  std::string resource;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Read, resource)

struct ReadResult {
  static constexpr const char* kName = "ReadResult";
  int64_t value = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReadResult, value)

struct Write {
  static constexpr const char* kName = "Write";
  std::string resource;
  int64_t value = 0;
  uint64_t token = 0;  // the writer's fencing token (sent always; checked only if fenced)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Write, resource, value, token)

struct WriteResult {
  static constexpr const char* kName = "WriteResult";
  bool accepted = false;
  uint64_t highest_token = 0;  // the highest token the resource has accepted
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(WriteResult, accepted, highest_token)

}  // namespace faultline::protocols::locks
