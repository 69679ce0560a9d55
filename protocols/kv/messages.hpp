#pragma once
// The wire vocabulary of the replicated key-value service, independent of the log beneath it
// (Raft, Multi-Paxos): a command with a client id and sequence number, so that a server can
// recognise a retried write and apply it once (Ongaro's thesis, §6.3, "Implementing
// linearizable semantics": each client session keeps the last sequence number and its result).
// Besides get/put/append it speaks compare-and-set and etcd's lease and revision vocabulary
// (etcd API reference, "KV" and "Lease" services; the etcd data model: every write advances one
// global revision; each key remembers the revision that created it and the one that last
// modified it).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::protocols::kv {

// What `f` may be:
//   get                       value read ("" when absent)
//   put, append               `value`; a put with `lease` attaches the key to that lease
//   cas                       if key holds `expected` (absent = ""), put `value`; succeeded says
//   delete                    removes the key
//   put-if-absent             etcd's Txn(If(CreateRevision(key) == 0), Then(Put(key, value,
//                             lease)), Else(Get(key))): create_revision is the key's, either way
//   first-created             under the prefix `key`: the key with the lowest create revision
//   last-created-below        under the prefix `key`: the key with the highest create revision
//                             below `below` (etcd's Get(prefix, WithLastCreate(),
//                             WithMaxCreateRev(below - 1)): a lock waiter's predecessor)
//   lease-grant               a lease of `ttl_ns`; answers its id in `lease`
//   lease-keepalive           restarts `lease`'s timer on the leader; succeeded = it still exists
//   lease-revoke              deletes `lease` and every key attached to it (also proposed by the
//                             leader itself when the lease expires on its clock)
struct KvCommand {
  static constexpr const char* kName = "KvCommand";
  uint64_t client = 0;  // a session id, unique per client incarnation
  uint64_t seq = 0;     // grows by one per operation of the session; retries reuse it
  std::string f;
  std::string key;
  std::string value;     // put: the new value; append: the piece appended; cas: the new value
  std::string expected;  // cas: the value the key must hold
  uint64_t lease = 0;    // put, put-if-absent: the lease to attach (0: none); lease-*: its id
  int64_t ttl_ns = 0;    // lease-grant: time to live without a keepalive
  uint64_t below = 0;    // last-created-below: the create revision bound (exclusive)
  bool operator==(const KvCommand&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(KvCommand, client, seq, f, key, value, expected, lease, ttl_ns,
                                   below)

struct ClientRequest {
  static constexpr const char* kName = "ClientRequest";
  static constexpr const char* kLabel = "{command.f} {command.key}{command.value?={command.value}}";
  KvCommand command;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ClientRequest, command)

struct ClientReply {
  static constexpr const char* kName = "ClientReply";
  static constexpr const char* kLabel =
      "{status}{value? {value}}{revision? rev{revision}}{leader_hint+1? leader {leader_hint}}";
  // "ok": done, `value` holds what a get read. "not-leader": try `leader_hint` (-1: unknown).
  // "retry": this server leads but cannot serve the request yet (no entry of its term
  // committed): try again shortly.
  std::string status;
  std::string value;
  int64_t leader_hint = -1;
  bool succeeded = true;         // cas swapped; put-if-absent created; the lease existed
  uint64_t revision = 0;         // the store's revision after the command
  uint64_t create_revision = 0;  // put-if-absent, *-created*: that key's create revision
  uint64_t lease = 0;            // lease-grant: the new lease's id
  std::string key;               // *-created*: the key found ("" when none)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ClientReply, status, value, leader_hint, succeeded, revision,
                                   create_revision, lease, key)

}  // namespace faultline::protocols::kv
