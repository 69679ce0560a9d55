// The kv state machine with session deduplication (Ongaro's thesis, §6.3) and etcd's revisions
// and leases (etcd docs, "Data model"; etcd's mvcc and lease packages for the rules kept here:
// one revision per changing command, a put naming a missing lease is refused, revoking a lease
// deletes its keys in one revision).
#include "protocols/kv/store.hpp"

namespace faultline::protocols::kv {
namespace {

void hash_result(sim::StateHasher& h, const KvResult& r) {
  h.add(r.value).add(r.succeeded).add(r.revision).add(r.create_revision).add(r.lease).add(r.key);
}

}  // namespace

void hash_command(sim::StateHasher& h, const KvCommand& c) {
  h.add(c.client).add(c.seq).add(c.f).add(c.key).add(c.value).add(c.expected);
  h.add(c.lease).add(c.ttl_ns).add(c.below);
}

void KvStore::hash(sim::StateHasher& hasher) const {
  hasher.add(revision_).add(last_lease_);
  hasher.add_range(data_, [](sim::StateHasher& h, const auto& entry) {
    const Entry& e = entry.second;
    h.add(entry.first).add(e.value).add(e.create_revision).add(e.mod_revision).add(e.lease);
  });
  hasher.add_range(leases_, [](sim::StateHasher& h, const auto& entry) {
    h.add(entry.first).add(entry.second.ttl_ns);
    h.add_range(entry.second.keys, [](sim::StateHasher& k, const std::string& key) { k.add(key); });
  });
  hasher.add_range(sessions_, [](sim::StateHasher& h, const auto& entry) {
    h.add(entry.first).add(entry.second.last_seq);
    hash_result(h, entry.second.last_result);
  });
}

KvResult KvStore::apply(const KvCommand& command) {
  // Commands the leader proposes itself (lease expiry) carry no session.
  if (command.seq == 0) return execute(command);
  Session& session = sessions_[command.client];
  // Clients run one operation at a time, so anything at or below the last sequence number is a
  // retry of an operation already applied: answer as the first time, change nothing.
  if (command.seq <= session.last_seq) return session.last_result;
  KvResult result = execute(command);
  session = Session{command.seq, result};
  return result;
}

KvResult KvStore::execute(const KvCommand& command) {
  KvResult result;
  const std::string& f = command.f;
  auto lease_missing = [&] { return command.lease != 0 && !leases_.count(command.lease); };
  if (f == "put") {
    if (lease_missing()) {
      result.succeeded = false;
    } else {
      write(command.key, command.value, command.lease);
    }
  } else if (f == "append") {
    auto it = data_.find(command.key);
    write(command.key, read(command.key) + command.value, it == data_.end() ? 0 : it->second.lease);
  } else if (f == "cas") {
    result.succeeded = read(command.key) == command.expected && !lease_missing();
    if (result.succeeded) write(command.key, command.value, command.lease);
  } else if (f == "delete") {
    result.succeeded = erase(command.key);
    if (result.succeeded) ++revision_;
  } else if (f == "put-if-absent") {
    result.succeeded = !data_.count(command.key) && !lease_missing();
    if (result.succeeded) write(command.key, command.value, command.lease);
    auto it = data_.find(command.key);
    if (it != data_.end()) {
      result.value = it->second.value;
      result.create_revision = it->second.create_revision;
    }
  } else if (f == "first-created" || f == "last-created-below") {
    const bool first = f == "first-created";
    const Entry* found = nullptr;
    for (auto it = data_.lower_bound(command.key);
         it != data_.end() && it->first.compare(0, command.key.size(), command.key) == 0; ++it) {
      const uint64_t created = it->second.create_revision;
      if (!first && created >= command.below) continue;
      if (!found || (first ? created < found->create_revision : created > found->create_revision)) {
        found = &it->second;
        result.key = it->first;
      }
    }
    if (found) {
      result.value = found->value;
      result.create_revision = found->create_revision;
    }
  } else if (f == "lease-grant") {
    result.lease = ++last_lease_;
    leases_[result.lease] = Lease{command.ttl_ns, {}};
  } else if (f == "lease-keepalive") {
    result.succeeded = leases_.count(command.lease) > 0;
    result.lease = command.lease;
  } else if (f == "lease-revoke") {
    auto it = leases_.find(command.lease);
    result.succeeded = it != leases_.end();
    if (result.succeeded) {
      const std::set<std::string> keys = it->second.keys;
      bool changed = false;
      for (const std::string& key : keys) changed |= erase(key);
      leases_.erase(command.lease);
      if (changed) ++revision_;
    }
  } else {
    result.value = read(command.key);
  }
  result.revision = revision_;
  return result;
}

void KvStore::write(const std::string& key, std::string value, uint64_t lease) {
  ++revision_;
  Entry& entry = data_[key];
  if (entry.create_revision == 0) entry.create_revision = revision_;
  entry.mod_revision = revision_;
  entry.value = std::move(value);
  if (entry.lease != lease) {
    detach(key);
    entry.lease = lease;
    if (lease != 0) leases_[lease].keys.insert(key);
  }
}

void KvStore::detach(const std::string& key) {
  auto it = data_.find(key);
  if (it == data_.end() || it->second.lease == 0) return;
  auto lease = leases_.find(it->second.lease);
  if (lease != leases_.end()) lease->second.keys.erase(key);
  it->second.lease = 0;
}

bool KvStore::erase(const std::string& key) {
  if (!data_.count(key)) return false;
  detach(key);
  data_.erase(key);
  return true;
}

std::string KvStore::read(const std::string& key) const {
  auto it = data_.find(key);
  return it == data_.end() ? std::string() : it->second.value;
}

}  // namespace faultline::protocols::kv
