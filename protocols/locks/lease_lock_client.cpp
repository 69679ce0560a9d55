#include "protocols/locks/lease_lock_client.hpp"

#include "protocols/client_operation.hpp"
#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {
namespace {

// Retries until the server grants the lock. Returns the token and the local time the request
// was sent: the lease is counted from then, since the server may have granted it at once.
std::pair<uint64_t, sim::LocalTime> acquire(sim::Process& co, const LeaseClientOptions& options,
                                            sim::NodeId server, uint64_t owner) {
  while (true) {
    sim::LocalTime sent = co.now();
    trace_operation(co.ctx(), "invoke", "acquire", options.key);
    auto reply =
        co.call(server, Acquire{options.key, owner, options.ttl.ns()}, options.call_timeout);
    if (reply) {
      if (const auto* granted = reply->payload.as<Granted>()) {
        trace_operation(co.ctx(), "ok", "acquire", granted->token);
        return {granted->token, sent};
      }
    }
    trace_operation(co.ctx(), reply ? "fail" : "info", "acquire", options.key);
    co.sleep(options.retry_interval);
  }
}

}  // namespace

void run_lease_client(sim::Process& co, const LeaseClientOptions& options, sim::NodeId server,
                      sim::NodeId storage, LockGhost& ghost) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  for (int round = 0; round < options.rounds; ++round) {
    // A random owner value per acquisition, as the Redis docs prescribe for a safe release.
    uint64_t owner = co.random(uint64_t(1) << 62) + 1;
    auto [token, lease_start] = acquire(co, options, server, owner);
    HoldingGuard holding(ghost, co.ctx().world(), options.key, co.ctx().name(), token);

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
      trace_operation(co.ctx(), "invoke", "write", value + 1);
      auto written =
          co.call(storage, Write{options.resource, value + 1, token}, options.call_timeout);
      const auto* result = written ? written->payload.as<WriteResult>() : nullptr;
      trace_operation(co.ctx(),
                      !result            ? "info"
                      : result->accepted ? "ok"
                                         : "fail",
                      "write", value + 1);
    }

    holding.end();  // from the release on, the client no longer believes it holds the lock
    trace_operation(co.ctx(), "invoke", "release", token);
    auto released = co.call(server, Release{options.key, owner}, options.call_timeout);
    trace_operation(co.ctx(), released ? "ok" : "info", "release", token);
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::locks
