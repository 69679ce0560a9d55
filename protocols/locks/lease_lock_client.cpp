#include "protocols/locks/lease_lock_client.hpp"

#include "protocols/client_operation.hpp"
#include "protocols/locks/lock_intervals.hpp"
#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {
namespace {

// Retries until the server grants the lock. Returns the token and the local time the request
// was sent: the lease is counted from then, since the server may have granted it at once.
std::pair<uint64_t, sim::LocalTime> acquire(sim::Process& co, ClientOperations& ops,
                                            const LeaseClientOptions& options, sim::NodeId server,
                                            uint64_t owner) {
  while (true) {
    sim::LocalTime sent = co.now();
    ops.invoke("acquire", options.key);
    auto reply =
        co.call(server, Acquire{options.key, owner, options.ttl.ns()}, options.call_timeout);
    if (reply) {
      if (const auto* granted = reply->payload.as<Granted>()) {
        ops.ok("acquire", granted->token);
        return {granted->token, sent};
      }
    }
    ops.record(reply ? checkers::OpType::fail : checkers::OpType::info, "acquire", options.key);
    co.sleep(options.retry_interval);
  }
}

}  // namespace

void run_lease_client(sim::Process& co, const LeaseClientOptions& options, sim::NodeId server,
                      sim::NodeId storage, LockGhost& ghost) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  ClientOperations ops(co);
  for (int round = 0; round < options.rounds; ++round) {
    // A random owner value per acquisition, as the Redis docs prescribe for a safe release.
    uint64_t owner = co.random(uint64_t(1) << 62) + 1;
    auto [token, lease_start] = acquire(co, ops, options, server, owner);
    Holding holding(ghost, co.ctx(), options.key, token);
    // Its lease as it counts it, for the trace: from the request's send on its own clock.
    co.ctx().hold_interval(kLeaseInterval, lease_start + options.ttl);

    auto read = co.call(storage, Read{options.resource}, options.call_timeout);
    int64_t value = 0;
    if (read) {
      if (const auto* result = read->payload.as<ReadResult>()) value = result->value;
    }
    // A careful client stops believing it holds the lock when its lease runs out on its clock.
    bool still_valid = true;
    if (options.check_validity) {
      still_valid =
          compute_within_validity(co, holding, options.compute, lease_start + options.ttl);
    } else {
      co.sleep(options.compute);
    }
    if (!still_valid) {
      co.note("lease expired before the write: giving up this round");
    } else {
      ops.invoke("write", value + 1);
      auto written =
          co.call(storage, Write{options.resource, value + 1, token}, options.call_timeout);
      const auto* result = written ? written->payload.as<WriteResult>() : nullptr;
      ops.record(written_outcome(result), "write", value + 1);
    }

    holding.end(co.ctx());  // from the release on, the client no longer believes it holds the lock
    co.ctx().end_interval(kLeaseInterval);
    ops.invoke("release", token);
    auto released = co.call(server, Release{options.key, owner}, options.call_timeout);
    ops.record(released ? checkers::OpType::ok : checkers::OpType::info, "release", token);
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::locks
