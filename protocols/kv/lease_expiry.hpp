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
#include <string>
#include <vector>

#include "protocols/kv/messages.hpp"
#include "protocols/kv/store.hpp"
#include "sim/node.hpp"
#include "sim/state_hasher.hpp"
#include "sim/time.hpp"

namespace faultline::protocols::kv {

// A lease's interval in the trace (sim::Context::hold_interval), on the leader that would expire
// it and on the client that keeps it alive: where the two bars disagree is the lesson.
inline std::string lease_interval(uint64_t lease) {
  return "lease " + std::to_string(lease);
}

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

  // The leader's deadlines as intervals of the trace, each to the time this server's clock passes
  // it. Observation only; the leader calls these, a follower's deadlines act on nothing.
  // After `applied` on the leader: a grant or keepalive moves its lease's deadline, a revoke ends
  // its bar.
  void trace_applied(sim::Context& ctx, const KvCommand& command, const KvResult& result) const {
    if (command.f == "lease-grant") trace_deadline(ctx, result.lease);
    if (command.f == "lease-keepalive" && result.succeeded) trace_deadline(ctx, command.lease);
    if (command.f == "lease-revoke") ctx.end_interval(lease_interval(command.lease));
  }
  // After `restart`: every lease from its new deadline.
  void trace_all(sim::Context& ctx) const {
    for (const auto& [id, deadline] : deadlines_) trace_deadline(ctx, id);
  }
  // A leader stepping down no longer expires anything.
  void end_traces(sim::Context& ctx) const {
    for (const auto& [id, deadline] : deadlines_) ctx.end_interval(lease_interval(id));
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

  // For the server's node-state fingerprint: each lease's deadline on this server's clock.
  void hash(sim::StateHasher& hasher) const {
    hasher.add_range(deadlines_, [](sim::StateHasher& h, const auto& entry) {
      h.add(entry.first).add(entry.second);
    });
  }

 private:
  void trace_deadline(sim::Context& ctx, uint64_t lease) const {
    auto it = deadlines_.find(lease);
    if (it != deadlines_.end()) ctx.hold_interval(lease_interval(lease), it->second);
  }

  static sim::Duration ttl_of(const KvStore& store, uint64_t lease) {
    auto it = store.leases().find(lease);
    return sim::nanoseconds(it == store.leases().end() ? 0 : it->second.ttl_ns);
  }

  std::map<uint64_t, sim::LocalTime> deadlines_;  // by lease id, on this server's monotonic clock
};

}  // namespace faultline::protocols::kv
