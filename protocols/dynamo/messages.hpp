#pragma once
// The wire vocabulary between a Dynamo-style store's coordinator and its replicas (DeCandia et
// al., "Dynamo", SOSP 2007, §4.5; the versioned quorum register of Attiya, Bar-Noy and Dolev,
// "Sharing memory robustly in message-passing systems", JACM 1995). Clients speak protocols/kv's
// ClientRequest / ClientReply to any node, which coordinates.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::protocols::dynamo {

// Orders writes: a higher counter wins; equal counters (concurrent puts that read the same
// quorum) are ordered by `write`, the coordinator's operation id, unique in the world: two
// different values never share a version, even from one coordinator.
struct Version {
  uint64_t counter = 0;
  uint64_t write = 0;
  auto operator<=>(const Version&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Version, counter, write)

// A replica's record of a key (its durable state).
struct StoredValue {
  static constexpr const char* kName = "StoredValue";
  std::string value;
  Version version;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StoredValue, value, version)

// Phase 1 of a get or a put: what do you hold for `key`?
struct ReplicaRead {
  static constexpr const char* kName = "ReplicaRead";
  static constexpr const char* kLabel = "{key}";
  uint64_t op = 0;  // the coordinator's operation, echoed in the reply
  std::string key;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReplicaRead, op, key)

struct ReplicaReadReply {
  static constexpr const char* kName = "ReplicaReadReply";
  static constexpr const char* kLabel = "{value} v{version.counter}";
  uint64_t op = 0;
  std::string value;
  Version version;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReplicaReadReply, op, value, version)

// Phase 2: store `value` at `version` unless you hold a newer one. `hint_for` >= 0: a sloppy
// quorum's stand-in write, to be handed off to that home node when it is reachable again.
struct ReplicaWrite {
  static constexpr const char* kName = "ReplicaWrite";
  static constexpr const char* kLabel =
      "{key}={value} v{version.counter}{hint_for+1? hint for {hint_for}}";
  uint64_t op = 0;
  std::string key;
  std::string value;
  Version version;
  int64_t hint_for = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReplicaWrite, op, key, value, version, hint_for)

struct ReplicaWriteAck {
  static constexpr const char* kName = "ReplicaWriteAck";
  static constexpr const char* kLabel = "op {op}";
  uint64_t op = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReplicaWriteAck, op)

// Hinted handoff: a stand-in hands a write it took for `home` back to it.
struct Handoff {
  static constexpr const char* kName = "Handoff";
  static constexpr const char* kLabel = "{key}={value} v{version.counter}";
  std::string key;
  std::string value;
  Version version;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Handoff, key, value, version)

struct HandoffAck {
  static constexpr const char* kName = "HandoffAck";
  static constexpr const char* kLabel = "{key} v{version.counter}";
  std::string key;
  Version version;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(HandoffAck, key, version)

// A hint a stand-in keeps durably until the home node has it.
struct Hint {
  static constexpr const char* kName = "Hint";
  int64_t home = -1;
  std::string key;
  std::string value;
  Version version;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Hint, home, key, value, version)

}  // namespace faultline::protocols::dynamo
