// An at-least-once message broker with durable queues (the delivery guarantee of RabbitMQ with
// publisher confirms and manual consumer acks, or of Kafka consumers committing after
// processing), as the choreographed saga needs it: Richardson, "Microservices Patterns" §3.3.
#include "protocols/saga/broker.hpp"

#include <cstdio>

namespace faultline::protocols::saga {
namespace {
const std::string kQueuePrefix = "q/";
const std::string kSeenPrefix = "seen/";
const std::string kNextDelivery = "next-delivery";

std::string queue_key(uint64_t id) {
  char key[32];
  std::snprintf(key, sizeof key, "q/%016llx", static_cast<unsigned long long>(id));
  return key;
}
}  // namespace

void Broker::on_start(sim::Context& ctx) {
  sim::Storage& disk = ctx.storage();
  if (const auto* next = disk.get<Quantity>(kNextDelivery)) next_delivery_ = next->value;
  // Everything still queued is delivered again: the broker cannot know what was acknowledged
  // after its last sync.
  for (const std::string& key : disk.keys_with_prefix(kQueuePrefix)) {
    uint64_t id = std::stoull(key.substr(kQueuePrefix.size()), nullptr, 16);
    pending_[id] = Pending{*disk.get<QueuedEvent>(key), ctx.now()};
    deliver(ctx, id, pending_[id]);
  }
  ctx.every(options_->redelivery_timeout / 2);
}

void Broker::deliver(sim::Context& ctx, uint64_t id, Pending& pending) {
  pending.sent = ctx.now();
  ctx.send(ctx.node_named(pending.entry.subscriber), Deliver{id, pending.entry.event});
}

void Broker::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* publish = message.payload.as<Publish>()) {
    sim::Storage& disk = ctx.storage();
    const SagaEvent& event = publish->event;
    if (disk.contains(kSeenPrefix + event.id)) {
      ctx.reply(message, PublishAck{event.id});  // a republished event: queued already
      return;
    }
    std::vector<uint64_t> fresh;
    auto it = options_->subscribers.find(event.topic);
    if (it != options_->subscribers.end()) {
      for (const std::string& subscriber : it->second) {
        uint64_t id = next_delivery_++;
        QueuedEvent entry{subscriber, event};
        disk.put(queue_key(id), entry);
        pending_[id] = Pending{entry, ctx.now()};
        fresh.push_back(id);
      }
    }
    disk.put(kSeenPrefix + event.id, Marker{});
    disk.put(kNextDelivery, Quantity{static_cast<int64_t>(next_delivery_)});
    disk.sync();  // durable in every queue before the publisher hears it is
    ctx.reply(message, PublishAck{event.id});
    for (uint64_t id : fresh) deliver(ctx, id, pending_[id]);
  } else if (const auto* ack = message.payload.as<DeliverAck>()) {
    if (pending_.erase(ack->delivery)) {
      // Not synced: an acknowledgement lost in a crash means one more delivery, which
      // at-least-once allows.
      ctx.storage().erase(queue_key(ack->delivery));
    }
  }
}

void Broker::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  for (auto& [id, pending] : pending_) {
    if (ctx.now() - pending.sent >= options_->redelivery_timeout) deliver(ctx, id, pending);
  }
}

std::string Broker::describe() const {
  return std::to_string(pending_.size()) + " unacknowledged";
}

}  // namespace faultline::protocols::saga
