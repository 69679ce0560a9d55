// Redlock's client side (antirez, "Distributed locks with Redis", the Redlock algorithm); see
// redlock_client.hpp for the steps and Kleppmann's critique.
#include "protocols/locks/redlock_client.hpp"

#include "protocols/client_operation.hpp"
#include "protocols/locks/lock_intervals.hpp"
#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {
namespace {

// Compare-and-delete on every server, whether or not it granted: a grant whose reply was lost
// must not outlive the attempt.
void release_everywhere(sim::Process& co, const RedlockClientOptions& options,
                        const std::vector<sim::NodeId>& servers, uint64_t owner) {
  for (sim::NodeId server : servers) {
    co.call(server, Release{options.key, owner}, options.call_timeout);
  }
}

// One attempt (steps 1-5); the local time until which the lock is valid, or nullopt.
std::optional<sim::LocalTime> try_acquire(sim::Process& co, const RedlockClientOptions& options,
                                          const std::vector<sim::NodeId>& servers, uint64_t owner) {
  sim::LocalTime start = co.now();
  size_t granted = 0;
  for (sim::NodeId server : servers) {
    auto reply =
        co.call(server, Acquire{options.key, owner, options.ttl.ns()}, options.call_timeout);
    if (reply && reply->payload.as<Granted>()) ++granted;
  }
  sim::Duration elapsed = co.now() - start;
  sim::Duration drift = options.ttl / 1'000'000 * options.drift_ppm + sim::milliseconds(2);
  sim::Duration validity = options.ttl - elapsed - drift;
  if (granted >= servers.size() / 2 + 1 && validity > sim::Duration{}) return co.now() + validity;
  release_everywhere(co, options, servers, owner);
  return std::nullopt;
}

}  // namespace

void run_redlock_client(sim::Process& co, const RedlockClientOptions& options,
                        const std::vector<sim::NodeId>& servers, sim::NodeId storage,
                        LockGhost& ghost) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  ClientOperations ops(co);
  for (int round = 0; round < options.rounds; ++round) {
    uint64_t owner = co.random(uint64_t(1) << 62) + 1;  // the same random value on every server
    std::optional<sim::LocalTime> valid_until;
    while (true) {
      ops.invoke("acquire", options.key);
      valid_until = try_acquire(co, options, servers, owner);
      if (valid_until) break;
      ops.fail("acquire", options.key);
      // A random delay, so that clients that split the votes do not collide again.
      co.sleep(sim::Duration::nanoseconds(
          static_cast<int64_t>(co.random(static_cast<uint64_t>(options.retry_delay.ns()) + 1))));
    }
    ops.ok("acquire", options.key);
    Holding holding(ghost, co.ctx(), options.key, 0);
    co.ctx().hold_interval(kLeaseInterval, *valid_until);  // the validity it computed (step 4)

    auto read = co.call(storage, Read{options.resource}, options.call_timeout);
    int64_t value = 0;
    if (read) {
      if (const auto* result = read->payload.as<ReadResult>()) value = result->value;
    }
    if (compute_within_validity(co, holding, options.compute, *valid_until)) {
      ops.invoke("write", value + 1);
      auto written = co.call(storage, Write{options.resource, value + 1, 0}, options.call_timeout);
      ops.record(written ? checkers::OpType::ok : checkers::OpType::info, "write", value + 1);
    } else {
      co.note("lock validity ran out before the write: giving up this round");
    }
    holding.end(co.ctx());
    co.ctx().end_interval(kLeaseInterval);
    ops.invoke("release", options.key);
    release_everywhere(co, options, servers, owner);
    ops.ok("release", options.key);
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::locks
