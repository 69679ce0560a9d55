#pragma once
// The wire vocabulary of a Redis-like counter: one primary and one replica (asynchronous
// replication of a command stream, as Redis's PSYNC), a sentinel that promotes the replica when
// the primary stops answering (Redis Sentinel), and clients that INCR and GET one counter.
//
// A server's state is its log of increments (Redis's replication stream): the counter's value is
// their sum, and the idempotency keys the server has seen are the keys in it. Every entry also
// carries its operation's label (the client's name for it, "client1/0.4"), which the server never
// reads: the trace shows it, and the final-value checker counts each operation's entries by it.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::protocols::counter {

struct Entry {
  std::string op;   // the label: who asked, which operation
  std::string key;  // the idempotency key ("" when the client sent none)
  int64_t amount = 1;
  bool operator==(const Entry&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Entry, op, key, amount)

// A server's durable state, written and synced before it acts on a change (Redis's AOF with
// `appendfsync always`). `synced_epoch`: the epoch in which this server, as a replica, last took
// a full copy of its primary's log (its log is a prefix of that primary's since).
struct ServerState {
  static constexpr const char* kName = "ServerState";
  uint64_t epoch = 1;
  int64_t primary = -1;  // the node id the sentinel made primary in `epoch`
  uint64_t synced_epoch = 0;
  std::vector<Entry> log;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ServerState, epoch, primary, synced_epoch, log)

// INCRBY: `op` is the label; `key` the idempotency key, "" for none.
struct Incr {
  static constexpr const char* kName = "Incr";
  static constexpr const char* kLabel = "+{amount} {op}";
  std::string op;
  std::string key;
  int64_t amount = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Incr, op, key, amount)

struct Get {
  static constexpr const char* kName = "Get";
  static constexpr const char* kLabel = "{op}";
  std::string op;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Get, op)

// "ok" with the counter's value (INCR: the value after it), or "not-primary" with the primary
// this server knows of (-1: none).
struct CounterReply {
  static constexpr const char* kName = "CounterReply";
  static constexpr const char* kLabel = "{status} {value}";
  std::string status;
  int64_t value = 0;
  int64_t primary = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CounterReply, status, value, primary)

// Primary to replica: the log from offset `from` on. `from` = 0 in an epoch the replica has not
// synced in is a full resynchronisation: the replica's log is replaced. `round` numbers the
// message, so that an acknowledgement shows the replica heard the primary after a given moment.
struct Replicate {
  static constexpr const char* kName = "Replicate";
  static constexpr const char* kLabel = "e{epoch} from {from} +{#entries}";
  uint64_t epoch = 0;
  uint64_t from = 0;
  std::vector<Entry> entries;
  uint64_t round = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Replicate, epoch, from, entries, round)

// Replica to primary: its log's length in `epoch` (0 until it has synced in that epoch), and the
// round it answers. An epoch above the primary's tells it that it was replaced, by `primary`.
struct ReplicateAck {
  static constexpr const char* kName = "ReplicateAck";
  static constexpr const char* kLabel = "e{epoch} size {size}";
  uint64_t epoch = 0;
  int64_t primary = -1;
  uint64_t size = 0;
  uint64_t round = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReplicateAck, epoch, primary, size, round)

// Sentinel to servers, every ping interval: who is primary in which epoch.
struct Ping {
  static constexpr const char* kName = "Ping";
  static constexpr const char* kLabel = "e{epoch} primary {primary}";
  uint64_t epoch = 0;
  int64_t primary = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Ping, epoch, primary)

struct Pong {
  static constexpr const char* kName = "Pong";
  static constexpr const char* kLabel = "e{epoch}";
  uint64_t epoch = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Pong, epoch)

// The sentinel's durable configuration.
struct SentinelState {
  static constexpr const char* kName = "SentinelState";
  uint64_t epoch = 1;
  int64_t primary = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SentinelState, epoch, primary)

}  // namespace faultline::protocols::counter
