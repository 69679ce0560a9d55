// The store: see store.hpp.
#include "protocols/cache/store.hpp"

#include <algorithm>

#include "protocols/cache/messages.hpp"

namespace faultline::protocols::cache {
namespace {

std::string key_record(const std::string& key) {
  return "key/" + key;
}
std::string write_record(uint64_t write) {
  return "write/" + std::to_string(write);
}

}  // namespace

void StoreNode::on_start(sim::Context& ctx) {
  if (options_.flags.mode == Mode::kAside && ctx.storage().contains("booted")) {
    // Invalidations owed before the crash are lost with it: wait until every entry they were for
    // has expired before serving a read that a stale entry could contradict.
    serving_from_ = ctx.now() + ttl_wait(options_.timing.ttl);
  }
  ctx.storage().put("booted", Booted{});
  ctx.storage().sync();
  if (options_.flags.mode == Mode::kAside) sweep_timer_ = ctx.every(options_.timing.resend);
}

std::string StoreNode::describe() const {
  return std::to_string(pending_.size()) + " writes awaiting invalidation";
}

void StoreNode::on_message(sim::Context& ctx, const sim::Message& m) {
  if (const auto* ack = m.payload.as<InvalidateAck>()) {
    confirm(ctx, ack->key, ack->version);
    return;
  }
  if (ctx.now() < serving_from_) return;  // the client retries or gives up
  if (const auto* read = m.payload.as<StoreRead>()) {
    const StoredKey* s = ctx.storage().get<StoredKey>(key_record(read->key));
    ctx.reply(m, s ? StoreValue{read->key, s->value, s->version, read->asked}
                   : StoreValue{read->key, "", 0, read->asked});
  } else if (const auto* w = m.payload.as<StoreWrite>()) {
    write(ctx, m, *w);
  }
}

void StoreNode::write(sim::Context& ctx, const sim::Message& m, const StoreWrite& w) {
  if (const AppliedWrite* done = ctx.storage().get<AppliedWrite>(write_record(w.write))) {
    // A duplicate or a resend: applying it again would put an old value over newer ones. In
    // cache-aside mode its first copy's acknowledgement is still pending or was sent already.
    if (options_.flags.mode != Mode::kAside) ctx.reply(m, StoreWriteAck{w.write, done->version});
    return;
  }
  const StoredKey* s = ctx.storage().get<StoredKey>(key_record(w.key));
  const uint64_t version = (s ? s->version : 0) + 1;
  ctx.storage().put(key_record(w.key), StoredKey{w.value, version});
  ctx.storage().put(write_record(w.write), AppliedWrite{version});
  ctx.storage().sync();
  options_.ghost->applied[w.key].push_back({w.value, version, ctx.observer_time().ns()});
  if (options_.flags.mode != Mode::kAside) {
    ctx.reply(m, StoreWriteAck{w.write, version});
    return;
  }
  const sim::NodeId cache = options_.caches[cache_of(options_.keys, w.key, options_.caches.size())];
  ctx.send(cache, Invalidate{w.key, version});
  ++options_.ghost->invalidations_sent;
  pending_.push_back({m, w.key, version, ctx.now()});
}

void StoreNode::confirm(sim::Context& ctx, const std::string& key, uint64_t version) {
  // The cache dropped the key after every write up to `version` was applied here.
  auto confirmed = [&](const Pending& p) { return p.key == key && p.version <= version; };
  for (const Pending& p : pending_) {
    if (confirmed(p)) acknowledge(ctx, p);
  }
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(), confirmed), pending_.end());
}

void StoreNode::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  sweep(ctx);
}

void StoreNode::sweep(sim::Context& ctx) {
  const bool retry = options_.flags.retry_invalidations;
  const sim::Duration give_up =
      retry ? ttl_wait(options_.timing.ttl) : options_.timing.invalidation_timeout;
  auto moot = [&](const Pending& p) { return ctx.now() >= p.applied_at + give_up; };
  for (const Pending& p : pending_) {
    if (moot(p)) {
      // Correct: every entry the invalidation was for has expired. Without retries: the
      // invalidation is taken as delivered, and the write acknowledged, though it may be lost.
      ++options_.ghost->writes_acked_unconfirmed;
      acknowledge(ctx, p);
    } else if (retry) {
      const sim::NodeId cache =
          options_.caches[cache_of(options_.keys, p.key, options_.caches.size())];
      ctx.send(cache, Invalidate{p.key, p.version});
      ++options_.ghost->invalidations_sent;
    }
  }
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(), moot), pending_.end());
}

void StoreNode::acknowledge(sim::Context& ctx, const Pending& p) {
  const auto* w = p.request.payload.as<StoreWrite>();
  ctx.reply(p.request, StoreWriteAck{w->write, p.version});
}

}  // namespace faultline::protocols::cache
