// A choreographed saga participant: Garcia-Molina & Salem's sagas without a saga execution
// component, each service reacting to its neighbours' events (Richardson, "Microservices
// Patterns" §4.2.1), with the transactional outbox and idempotent consumer of §3.3.
#include "protocols/saga/choreography_service.hpp"

namespace faultline::protocols::saga {
namespace {
const std::string kOutboxPrefix = "outbox/";
const std::string kHandledPrefix = "handled/";
}  // namespace

void ChoreographyService::on_start(sim::Context& ctx) {
  publish_outbox(ctx);  // events decided before a crash are still owed to the broker
  ctx.every(options_.publish_retry);
}

SagaEvent ChoreographyService::react(sim::Context& ctx, const SagaEvent& event) {
  const std::string trigger =
      options_.previous.empty() ? "trip.requested" : options_.previous + ".done";
  std::string op, emits;
  if (event.topic == trigger) {
    op = "apply";
  } else if (!options_.next.empty() && (event.topic == options_.next + ".failed" ||
                                        event.topic == options_.next + ".undone")) {
    op = "compensate";
  } else if (event.topic == "charge.done" && options_.step != "charge") {
    op = "confirm";
  } else {
    return {};
  }
  std::string outcome =
      ledger_.handle(ctx, StepCommand{event.saga, options_.step, op, event.customer, event.amount});
  if (op == "apply") {
    emits = options_.step + (outcome == "applied" ? ".done" : ".failed");
  } else if (op == "compensate") {
    emits = options_.step + ".undone";
  } else {
    return {};  // a confirmation ends this service's part: nobody waits for it
  }
  return SagaEvent{event.saga + "/" + emits, emits, event.saga, event.customer, event.amount};
}

void ChoreographyService::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* delivery = message.payload.as<Deliver>()) {
    sim::Storage& disk = ctx.storage();
    const SagaEvent& event = delivery->event;
    if (!options_.deduplicate || !disk.contains(kHandledPrefix + event.id)) {
      SagaEvent caused = react(ctx, event);
      if (!caused.topic.empty()) {
        disk.put(kOutboxPrefix + caused.id, OutboxEntry{caused});
        outbox_empty_ = false;
      }
      if (options_.deduplicate) disk.put(kHandledPrefix + event.id, Marker{});
      disk.sync();
      publish_outbox(ctx);
    }
    ctx.send(message.from, DeliverAck{delivery->delivery});
  } else if (const auto* ack = message.payload.as<PublishAck>()) {
    // Not synced: an erase lost in a crash means one more publish, which the broker absorbs.
    ctx.storage().erase(kOutboxPrefix + ack->id);
    outbox_empty_ = ctx.storage().keys_with_prefix(kOutboxPrefix).empty();
  }
}

void ChoreographyService::publish_outbox(sim::Context& ctx) {
  sim::Storage& disk = ctx.storage();
  auto keys = disk.keys_with_prefix(kOutboxPrefix);
  outbox_empty_ = keys.empty();
  for (const std::string& key : keys) {
    ctx.send(ctx.node_named("broker"), Publish{disk.get<OutboxEntry>(key)->event});
  }
}

void ChoreographyService::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  publish_outbox(ctx);
}

}  // namespace faultline::protocols::saga
