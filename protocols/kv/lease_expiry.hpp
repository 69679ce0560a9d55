#pragma once
// When leases expire, decided by one clock: the leader's (etcd's lessor: only the "primary"
// lessor, on the leader, expires leases, and it does so by proposing a LeaseRevoke through Raft,
// so that every replica deletes the same keys at the same point of the log). Each server keeps a
// deadline per lease on its own monotonic clock, restarted by every grant or keepalive it applies;
// only the leader acts on them. A server that becomes leader restarts every timer with an extra
// `extend` (etcd's Promote: the old leader's keepalives may not have reached this server's clock,
// so a lease gets at least a full TTL under the new leader before it can expire).
//
// Volatile by design: after a crash the deadlines are rebuilt as the log is applied again.
//
// A keepalive is a log entry too, so its answer is the same on every replica: it succeeds if the
// lease still exists where it lands in the log. One that lands between the leader's decision and
// the revoke succeeds and is then overtaken by the revoke; it reached the leader only after the
// lease's deadline had nearly passed, which a client keeping to a third of the TTL never does
// unless it was paused or cut off, the case fencing exists for.

#include <cstdint>
#include <map>
#include <vector>

#include "protocols/kv/messages.hpp"
#include "protocols/kv/store.hpp"
#include "sim/time.hpp"

namespace faultline::protocols::kv {

class LeaseExpiry {
 public:
  // After `store` applied `command` at local time `now`.
  void applied(const KvStore& store, const KvCommand& command, const KvResult& result,
               sim::LocalTime now) {
    if (command.f == "lease-grant") {
      deadlines_[result.lease] = now + sim::nanoseconds(command.ttl_ns);
    } else if (command.f == "lease-keepalive" && result.succeeded) {
      deadlines_[command.lease] = now + ttl_of(store, command.lease);
    } else if (command.f == "lease-revoke") {
      deadlines_.erase(command.lease);
    }
  }

  // This server has just become leader.
  void restart(const KvStore& store, sim::LocalTime now, sim::Duration extend) {
    deadlines_.clear();
    for (const auto& [id, lease] : store.leases()) {
      deadlines_[id] = now + extend + sim::nanoseconds(lease.ttl_ns);
    }
  }

  // The revokes the leader should propose now. A lease whose revoke is proposed gets another TTL
  // before it is proposed again: the first proposal may be lost with this leader's term.
  std::vector<KvCommand> expired(const KvStore& store, sim::LocalTime now) {
    std::vector<KvCommand> out;
    for (auto& [id, deadline] : deadlines_) {
      if (deadline > now) continue;
      KvCommand revoke;
      revoke.f = "lease-revoke";
      revoke.lease = id;
      out.push_back(revoke);
      deadline = now + ttl_of(store, id);
    }
    return out;
  }

 private:
  static sim::Duration ttl_of(const KvStore& store, uint64_t lease) {
    auto it = store.leases().find(lease);
    return sim::nanoseconds(it == store.leases().end() ? 0 : it->second.ttl_ns);
  }

  std::map<uint64_t, sim::LocalTime> deadlines_;  // by lease id, on this server's monotonic clock
};

}  // namespace faultline::protocols::kv
