#include "protocols/queue/clients.hpp"

#include <algorithm>

#include "protocols/queue/messages.hpp"

namespace faultline::protocols::queue {
namespace {

sim::RetryPolicy policy(const ClientTimeouts& t) {
  return {t.call_timeout, t.retry_backoff, t.give_up_after, 0};
}

// A broker that is not primary names the one it believes is: tried next.
sim::NodeId hint(sim::Process& co, const std::string& primary) {
  if (primary.empty()) return sim::kNoNode;
  return co.ctx().node_named(primary);
}

// Calls `to` until it answers, `attempts` calls at most, each the moment the one before timed out
// (the retry policy of sim/retry.hpp at a single target): whether it answered.
bool answered(sim::Process& co, sim::NodeId to, const sim::Payload& request, sim::Duration timeout,
              int attempts) {
  if (attempts <= 0) return false;
  sim::RetryTargets target({to}, 0);
  const sim::RetryPolicy policy{timeout, sim::Duration{}, sim::Duration{}, attempts};
  return target
      .call(co, request, policy,
            [](const std::optional<sim::Message>& reply) {
              return reply ? sim::RetryStep::done() : sim::RetryStep::stay();
            })
      .has_value();
}

}  // namespace

void run_producer(sim::Process& co, const ProducerOptions& options,
                  const std::vector<sim::NodeId>& brokers, QueueGhost& ghost,
                  OperationSink& history) {
  sim::Storage& disk = co.ctx().storage();
  const auto* progress = disk.get<ProducerProgress>("progress");
  int64_t next = progress ? progress->next : 1;
  sim::RetryTargets targets(brokers, 0);
  ClientOperations ops(co, history);
  const std::string& name = co.ctx().name();
  for (; next <= options.messages; ++next) {
    const QueueMessage message{name + "-" + std::to_string(next), name, next};
    ghost.publish(name, message.id, next);
    ops.invoke("enqueue", message.id);
    auto reply = targets.call(co, Publish{message}, policy(options.timeouts),
                              [&](const std::optional<sim::Message>& r) {
                                const auto* answer = r ? r->payload.as<PublishReply>() : nullptr;
                                if (!answer) return sim::RetryStep::next();
                                if (answer->status == "confirmed") return sim::RetryStep::done();
                                return sim::RetryStep::next(hint(co, answer->primary));
                              });
    if (reply) {
      ghost.confirm(message.id, co.ctx().observer_time().ns());
      ops.ok("enqueue", message.id);
    } else {
      ops.info("enqueue", message.id);  // maybe queued, never confirmed
    }
    disk.put("progress", ProducerProgress{next + 1});
    disk.sync();
    co.sleep(options.think);
  }
}

void run_consumer(sim::Process& co, const ConsumerOptions& options,
                  const std::vector<sim::NodeId>& brokers, sim::NodeId sink,
                  OperationSink& history) {
  // Not sim::RetryTargets: a Get with auto-ack is not idempotent (the attempt that timed out may
  // have taken the head), so each attempt is an operation of its own, and a timeout moves on to
  // the other broker after recording an unknown outcome.
  size_t current = 0;
  ClientOperations ops(co, history);
  while (true) {
    ops.invoke("dequeue", nullptr);
    auto reply = co.call(brokers[current], Get{options.auto_ack}, options.timeouts.call_timeout);
    const GetReply* got = reply ? reply->payload.as<GetReply>() : nullptr;
    if (!got) {
      ops.info("dequeue", nullptr);
      current = (current + 1) % brokers.size();
      co.sleep(options.timeouts.retry_backoff);
      continue;
    }
    if (got->status == "not-primary") {
      ops.fail("dequeue", nullptr);  // nothing taken
      const sim::NodeId primary = hint(co, got->primary);
      auto named = std::find(brokers.begin(), brokers.end(), primary);
      current = named != brokers.end() && primary != brokers[current]
                    ? static_cast<size_t>(named - brokers.begin())
                    : (current + 1) % brokers.size();
      co.sleep(options.timeouts.retry_backoff);
      continue;
    }
    if (got->status != "message") {
      // "empty", or "busy" (manual acks: another delivery awaits its ack): nothing taken.
      ops.ok("dequeue", nullptr);
      co.sleep(options.poll);
      continue;
    }
    ops.ok("dequeue", got->message.id);
    const bool applied = answered(co, sink, Apply{got->message.id, options.idempotent},
                                  options.timeouts.call_timeout, options.apply_attempts);
    // Acknowledged only once applied: a crash before this point means a redelivery.
    if (!applied || options.auto_ack) continue;
    answered(co, reply->from, Ack{got->delivery, got->message.id}, options.timeouts.call_timeout,
             options.apply_attempts);
  }
}

}  // namespace faultline::protocols::queue
