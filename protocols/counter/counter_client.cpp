// The counter client; see counter_client.hpp.
#include "protocols/counter/counter_client.hpp"

#include <string>

#include "protocols/client_operation.hpp"
#include "protocols/counter/messages.hpp"
#include "sim/retry.hpp"

namespace faultline::protocols::counter {
namespace {

sim::RetryStep classify(const std::optional<sim::Message>& reply) {
  const CounterReply* answer = reply ? reply->payload.as<CounterReply>() : nullptr;
  if (!answer) return sim::RetryStep::next();
  if (answer->status == "ok") return sim::RetryStep::done();
  const bool named = answer->primary >= 0 && answer->primary < static_cast<int64_t>(sim::kNoNode);
  return sim::RetryStep::next(named ? static_cast<sim::NodeId>(answer->primary) : sim::kNoNode);
}

}  // namespace

void run_counter_client(sim::Process& co, const CounterClientOptions& options,
                        const std::vector<sim::NodeId>& servers, HistoryRecorder& history,
                        CounterGhost& ghost) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  ClientOperations ops(co, history);
  // The client starts at the first server, the primary it was configured with.
  sim::RetryTargets targets(servers, 0);
  const sim::RetryPolicy policy{options.call_timeout, options.retry_backoff, options.give_up_after,
                                0};
  for (int i = 1; i <= options.operations; ++i) {
    const std::string label =
        co.ctx().name() + "/" + std::to_string(ops.process()) + "." + std::to_string(i);
    if (static_cast<int>(co.random(100)) < options.read_percent) {
      ops.invoke("read", nullptr);
      auto reply = targets.call(co, Get{label}, policy, classify);
      if (reply) {
        ops.ok("read", reply->payload.as<CounterReply>()->value);
      } else {
        ops.fail("read", nullptr);  // a read changes nothing
      }
    } else {
      ops.invoke("add", 1);
      ghost.invoked(label, co.ctx().name(), co.ctx().observer_time().ns());
      const Incr incr{label, options.idempotency_keys ? label : std::string(), 1};
      auto reply = targets.call(co, incr, policy, classify);
      if (reply) {
        ops.ok("add", 1);
        ghost.acknowledged(label, co.ctx().name_of(reply->from), co.ctx().observer_time().ns());
      } else {
        ops.info("add", 1);  // it may have been applied
      }
    }
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::counter
