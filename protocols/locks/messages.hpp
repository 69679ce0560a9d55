#pragma once
// The wire vocabulary of the lock family: a lease lock server in the shape of Redis's
// `SET key value NX PX ttl` (acquire) and compare-and-delete script (release), and the storage
// service the lock protects, which may check fencing tokens (Kleppmann, "How to do distributed
// locking", 2016). Also the ZooKeeper-like server the lock recipe runs on.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::protocols::locks {

// SET key owner NX PX ttl: take the lock if nobody holds it (or the holder's lease expired).
struct Acquire {
  static constexpr const char* kName = "Acquire";
  static constexpr const char* kLabel = "{key} ttl {ttl_ns}";
  std::string key;
  uint64_t owner = 0;  // the client's random value, so that only it can release
  int64_t ttl_ns = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Acquire, key, owner, ttl_ns)

struct Granted {
  static constexpr const char* kName = "Granted";
  static constexpr const char* kLabel = "token={token}";
  uint64_t token = 0;  // fencing token: grows with every grant of this server
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Granted, token)

struct Denied {
  static constexpr const char* kName = "Denied";
  static constexpr const char* kLabel = "retry in {retry_after_ns}";
  int64_t retry_after_ns = 0;  // how long the current lease has left, on the server's clock
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Denied, retry_after_ns)

// Delete the key only if it still holds `owner` (the Lua compare-and-delete of the Redis docs).
struct Release {
  static constexpr const char* kName = "Release";
  static constexpr const char* kLabel = "{key}";
  std::string key;
  uint64_t owner = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Release, key, owner)

struct Released {
  static constexpr const char* kName = "Released";
  static constexpr const char* kLabel = "{deleted?deleted:expired}";
  bool deleted = false;  // false: the lease had expired and someone else may hold the key now
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Released, deleted)

// The protected storage: a value per resource, read-modify-written by lock holders.
struct Read {
  static constexpr const char* kName = "Read";
  static constexpr const char* kLabel = "{resource}";
  std::string resource;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Read, resource)

struct ReadResult {
  static constexpr const char* kName = "ReadResult";
  static constexpr const char* kLabel = "value={value}";
  int64_t value = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReadResult, value)

struct Write {
  static constexpr const char* kName = "Write";
  static constexpr const char* kLabel = "{resource} token={token} value={value}";
  std::string resource;
  int64_t value = 0;
  uint64_t token = 0;  // the writer's fencing token (sent always; checked only if fenced)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Write, resource, value, token)

struct WriteResult {
  static constexpr const char* kName = "WriteResult";
  static constexpr const char* kLabel = "{accepted?accepted:rejected} highest={highest_token}";
  bool accepted = false;
  uint64_t highest_token = 0;  // the highest token the resource has accepted
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(WriteResult, accepted, highest_token)

// A ZooKeeper-like coordination server (Hunt et al., "ZooKeeper: wait-free coordination for
// Internet-scale systems", USENIX ATC 2010): sessions kept alive by pings, ephemeral and
// sequential znodes, one-shot watches, and the zxid that orders every change.
struct ZkConnect {
  static constexpr const char* kName = "ZkConnect";
  static constexpr const char* kLabel = "timeout {timeout_ns}";
  int64_t timeout_ns = 0;  // the session expires after this long without a ping
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkConnect, timeout_ns)

struct ZkConnected {
  static constexpr const char* kName = "ZkConnected";
  static constexpr const char* kLabel = "session {session}";
  uint64_t session = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkConnected, session)

struct ZkPing {
  static constexpr const char* kName = "ZkPing";
  static constexpr const char* kLabel = "session {session}";
  uint64_t session = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkPing, session)

struct ZkPong {
  static constexpr const char* kName = "ZkPong";
  static constexpr const char* kLabel = "{alive?alive:expired}";
  bool alive = false;  // false: the session expired, its ephemeral nodes are gone
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkPong, alive)

// Creates `parent/name` (with a 10-digit sequence number appended if sequential).
struct ZkCreate {
  static constexpr const char* kName = "ZkCreate";
  static constexpr const char* kLabel = "{parent}/{name}{ephemeral? ephemeral}";
  uint64_t session = 0;
  std::string parent;
  std::string name;
  bool ephemeral = true;
  bool sequential = true;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkCreate, session, parent, name, ephemeral, sequential)

struct ZkCreated {
  static constexpr const char* kName = "ZkCreated";
  static constexpr const char* kLabel = "{ok?{name} zxid={czxid}:expired}";
  bool ok = false;  // false: the session has expired
  std::string name;
  uint64_t czxid = 0;  // the zxid of the creation: the lock recipe's fencing token
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkCreated, ok, name, czxid)

// Lists `parent`'s children; with `watch`, one notification at the next change of the list.
struct ZkGetChildren {
  static constexpr const char* kName = "ZkGetChildren";
  static constexpr const char* kLabel = "{parent}{watch? watch}";
  uint64_t session = 0;
  std::string parent;
  bool watch = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkGetChildren, session, parent, watch)

struct ZkChildren {
  static constexpr const char* kName = "ZkChildren";
  static constexpr const char* kLabel = "{#names}{#names? first {names.0}}";
  std::vector<std::string> names;  // in creation order
  std::vector<uint64_t> czxids;    // one per name
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkChildren, names, czxids)

// Whether `parent/name` exists; with `watch`, one notification when it is deleted or created.
struct ZkExists {
  static constexpr const char* kName = "ZkExists";
  static constexpr const char* kLabel = "{path}{watch? watch}";
  uint64_t session = 0;
  std::string path;
  bool watch = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkExists, session, path, watch)

struct ZkExistsResult {
  static constexpr const char* kName = "ZkExistsResult";
  static constexpr const char* kLabel = "{exists?exists:gone}";
  bool exists = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkExistsResult, exists)

struct ZkDelete {
  static constexpr const char* kName = "ZkDelete";
  static constexpr const char* kLabel = "{path}";
  std::string path;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkDelete, path)

struct ZkDeleted {
  static constexpr const char* kName = "ZkDeleted";
  static constexpr const char* kLabel = "{ok?deleted:missing}";
  bool ok = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkDeleted, ok)

// A one-shot watch fired: `path` (a node, or a parent whose children changed) changed.
struct ZkWatchEvent {
  static constexpr const char* kName = "ZkWatchEvent";
  static constexpr const char* kLabel = "{path}";
  std::string path;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ZkWatchEvent, path)

}  // namespace faultline::protocols::locks
