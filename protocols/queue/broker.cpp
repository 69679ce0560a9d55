// The broker: publisher confirms, basic_get with manual or automatic acks, and a mirror that
// fails over (see broker.hpp).
#include "protocols/queue/broker.hpp"

#include <algorithm>

namespace faultline::protocols::queue {
namespace {
const std::string kState = "state";
// Copies of a request arrive within a network latency of each other; a consumer has one Get in
// flight at a time, so a few dozen remembered calls cover every copy still on its way.
constexpr size_t kAnsweredGets = 64;
}  // namespace

void Broker::on_start(sim::Context& ctx) {
  if (const auto* saved = ctx.storage().get<BrokerState>(kState)) {
    state_ = *saved;
  } else {
    state_.claimed = ctx.name() == options_->brokers.front();
  }
  last_heard_ = ctx.now();
  ctx.every(options_->heartbeat);
}

std::string Broker::peer_name(sim::Context& ctx) const {
  for (const std::string& name : options_->brokers) {
    if (name != ctx.name()) return name;
  }
  return {};
}

std::string Broker::primary_name(sim::Context& ctx) const {
  return state_.claimed ? ctx.name() : peer_name(ctx);
}

void Broker::persist(sim::Context& ctx) {
  ctx.storage().put(kState, state_);
  ctx.storage().sync();
}

void Broker::send_sync(sim::Context& ctx) {
  if (!mirrored() || !state_.claimed) return;
  ctx.send(ctx.node_named(peer_name(ctx)),
           Sync{state_.epoch, state_.version, state_.queue, state_.seen});
}

void Broker::changed(sim::Context& ctx) {
  ++state_.version;
  persist(ctx);
  // Asynchronous mirroring leaves the copy to the next heartbeat.
  if (options_->replicate_before_confirm) send_sync(ctx);
}

void Broker::answer(sim::Context& ctx, const sim::Message& request, sim::Payload reply) {
  if (!mirrored() || !options_->replicate_before_confirm || mirror_version_ >= state_.version) {
    ctx.reply(request, std::move(reply));
    return;
  }
  held_.push_back({state_.version, request, std::move(reply)});
}

void Broker::release(sim::Context& ctx) {
  auto ready = [&](const Held& h) { return h.version <= mirror_version_; };
  for (const Held& h : held_) {
    if (ready(h)) ctx.reply(h.request, h.reply);
  }
  held_.erase(std::remove_if(held_.begin(), held_.end(), ready), held_.end());
}

void Broker::step_down(sim::Context& ctx, int64_t epoch) {
  ctx.note("steps down: epoch " + std::to_string(epoch) + " is newer");
  state_.epoch = epoch;
  state_.claimed = false;
  // The new primary's contents replace ours whatever their version: ours may hold changes it
  // never had, which are not ours to keep.
  state_.version = -1;
  persist(ctx);
  held_.clear();  // never confirmed: the clients retry at the new primary
  in_flight_.reset();
  mirror_version_ = -1;
  last_heard_ = ctx.now();
}

void Broker::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* publish = message.payload.as<Publish>()) {
    on_publish(ctx, message, *publish);
  } else if (const auto* get = message.payload.as<Get>()) {
    on_get(ctx, message, *get);
  } else if (const auto* ack = message.payload.as<Ack>()) {
    // Only the primary's queue counts; a deposed primary's ack is lost with its contents.
    if (state_.claimed) on_ack(ctx, *ack);
    ctx.reply(message, AckReply{ack->id});
  } else if (const auto* sync = message.payload.as<Sync>()) {
    on_sync(ctx, message, *sync);
  } else if (const auto* synced = message.payload.as<SyncAck>()) {
    if (state_.claimed && synced->epoch == state_.epoch) {
      mirror_version_ = std::max(mirror_version_, synced->version);
      release(ctx);
    }
  } else if (const auto* reject = message.payload.as<SyncReject>()) {
    if (reject->epoch > state_.epoch) step_down(ctx, reject->epoch);
  }
}

void Broker::on_publish(sim::Context& ctx, const sim::Message& message, const Publish& publish) {
  const QueueMessage& m = publish.message;
  if (!state_.claimed) {
    ctx.reply(message, PublishReply{m.id, "not-primary", primary_name(ctx)});
    return;
  }
  // A republished message (its confirm was lost) is confirmed again, not queued twice; the
  // confirm still waits for the mirror to hold what is queued now.
  if (std::find(state_.seen.begin(), state_.seen.end(), m.id) == state_.seen.end()) {
    state_.queue.push_back(m);
    state_.seen.push_back(m.id);
    changed(ctx);
  }
  answer(ctx, message, PublishReply{m.id, "confirmed", ctx.name()});
}

void Broker::on_get(sim::Context& ctx, const sim::Message& message, const Get& get) {
  if (!state_.claimed) {
    GetReply reply;
    reply.status = "not-primary";
    reply.primary = primary_name(ctx);
    ctx.reply(message, reply);
    return;
  }
  // The network may deliver a request twice (TCP would not): a copy of an auto-ack Get already
  // answered is dropped, or it would take a message for a call that has its answer.
  auto& answered = state_.answered_gets;
  if (get.auto_ack) {
    if (std::find(answered.begin(), answered.end(), message.call_id) != answered.end()) return;
    answered.push_back(message.call_id);
    if (answered.size() > kAnsweredGets) answered.erase(answered.begin());
  }
  GetReply reply;
  reply.primary = ctx.name();
  if (state_.queue.empty()) {
    reply.status = "empty";
    // An auto-ack "empty" waits for the mirror too: it reads removals a failover could undo.
    if (get.auto_ack) {
      persist(ctx);  // the call answered, so that a copy arriving after a restart is dropped too
      answer(ctx, message, reply);
    } else {
      ctx.reply(message, reply);
    }
    return;
  }
  reply.status = "message";
  reply.delivery = ctx.new_call_id();
  reply.message = state_.queue.front();
  if (get.auto_ack) {
    // Acknowledged by being sent: gone from the queue before the consumer has done anything.
    state_.queue.erase(state_.queue.begin());
    changed(ctx);
    answer(ctx, message, reply);
    return;
  }
  // One unacknowledged delivery at a time; the head again once its ack is overdue.
  if (in_flight_ && in_flight_->id == reply.message.id &&
      ctx.now() - in_flight_->sent < options_->ack_timeout) {
    reply.status = "busy";
    reply.message = {};
    reply.delivery = 0;
    ctx.reply(message, reply);
    return;
  }
  in_flight_ = InFlight{reply.delivery, reply.message.id, ctx.now()};
  ctx.reply(message, reply);
}

void Broker::on_ack(sim::Context& ctx, const Ack& ack) {
  auto it = std::find_if(state_.queue.begin(), state_.queue.end(),
                         [&](const QueueMessage& m) { return m.id == ack.id; });
  if (in_flight_ && in_flight_->id == ack.id) in_flight_.reset();
  if (it == state_.queue.end()) return;  // acknowledged before, through another delivery
  state_.queue.erase(it);
  changed(ctx);
}

void Broker::on_sync(sim::Context& ctx, const sim::Message& message, const Sync& sync) {
  if (sync.epoch < state_.epoch || (sync.epoch == state_.epoch && state_.claimed)) {
    ctx.reply(message, SyncReject{state_.epoch});
    return;
  }
  if (sync.epoch > state_.epoch && state_.claimed) step_down(ctx, sync.epoch);
  last_heard_ = ctx.now();
  if (sync.epoch > state_.epoch || sync.version > state_.version) {
    state_.epoch = sync.epoch;
    state_.version = sync.version;
    state_.queue = sync.queue;
    state_.seen = sync.seen;
    persist(ctx);  // on disk before the primary counts it as mirrored
  }
  ctx.reply(message, SyncAck{state_.epoch, state_.version});
}

void Broker::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  if (!mirrored()) return;
  if (state_.claimed) {
    send_sync(ctx);  // the heartbeat, the resend, and asynchronous mirroring's copy
    return;
  }
  if (ctx.now() - last_heard_ < options_->failover_timeout) return;
  // The primary is silent: claim the next epoch with what this mirror holds.
  state_.epoch += 1;
  state_.claimed = true;
  if (state_.version < 0) state_.version = 0;
  persist(ctx);
  mirror_version_ = -1;
  ctx.note("fails over: primary in epoch " + std::to_string(state_.epoch));
  if (options_->ghost) options_->ghost->failover();
}

std::string Broker::describe() const {
  return std::string(state_.claimed ? "primary" : "mirror") + " epoch " +
         std::to_string(state_.epoch) + ", " + std::to_string(state_.queue.size()) + " queued";
}

}  // namespace faultline::protocols::queue
