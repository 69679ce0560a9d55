#pragma once
// The key-value state machine a replicated log applies, with per-session deduplication (Ongaro's
// thesis, §6.3): a command whose sequence number the session has already applied returns the
// result it had the first time and changes nothing, so a write retried after a timeout takes
// effect once. Deterministic: every replica that applies the same commands reaches the same state.
//
// It keeps etcd's data model (etcd docs, "Data model" and "Lease"): one revision for the whole
// store, advanced by every command that changes a key; per key the revision that created it and
// the one that last modified it; leases that keys can be attached to, deleted with them. When a
// lease expires is not the state machine's business (replicas' clocks differ): the leader decides
// it and a lease-revoke passes through the log like any write (see lease_expiry.hpp).

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "protocols/kv/messages.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols::kv {

// Every field of a command, for the fingerprint of whoever holds it (a log, a parked request).
void hash_command(sim::StateHasher& hasher, const KvCommand& command);

struct KvResult {
  std::string value;  // get: the value read ("" when absent)
  bool succeeded = true;
  uint64_t revision = 0;
  uint64_t create_revision = 0;
  uint64_t lease = 0;
  std::string key;
};

class KvStore {
 public:
  struct Lease {
    int64_t ttl_ns = 0;
    std::set<std::string> keys;
  };

  KvResult apply(const KvCommand& command);
  // A read outside the log (ReadIndex, lease or local reads): no session bookkeeping.
  std::string read(const std::string& key) const;
  size_t size() const { return data_.size(); }
  uint64_t revision() const { return revision_; }
  const std::map<uint64_t, Lease>& leases() const { return leases_; }
  // The whole state, for a replica's node-state fingerprint (sim::Node::fingerprint_state).
  void hash(sim::StateHasher& hasher) const;

 private:
  struct Entry {
    std::string value;
    uint64_t create_revision = 0;
    uint64_t mod_revision = 0;
    uint64_t lease = 0;
  };
  struct Session {
    uint64_t last_seq = 0;
    KvResult last_result;
  };

  KvResult execute(const KvCommand& command);
  // Writes `value` at a new revision, attached to `lease` (0: none), creating the key if absent.
  void write(const std::string& key, std::string value, uint64_t lease);
  void detach(const std::string& key);
  bool erase(const std::string& key);

  uint64_t revision_ = 0;
  uint64_t last_lease_ = 0;
  std::map<std::string, Entry> data_;
  std::map<uint64_t, Lease> leases_;
  std::map<uint64_t, Session> sessions_;
};

}  // namespace faultline::protocols::kv
