// A cache node: see cache_node.hpp.
#include "protocols/cache/cache_node.hpp"

namespace faultline::protocols::cache {

void CacheNode::on_start(sim::Context& ctx) {
  started_ = ctx.now();
  if (options_.flags.mode == Mode::kBack) ctx.every(options_.timing.flush_interval);
}

std::string CacheNode::describe() const {
  std::string out = std::to_string(entries_.size()) + " entries";
  if (!queue_.empty()) out += ", " + std::to_string(queue_.size()) + " writes unflushed";
  return out;
}

void CacheNode::on_message(sim::Context& ctx, const sim::Message& m) {
  if (const auto* g = m.payload.as<CacheGet>()) {
    get(ctx, m, g->key);
  } else if (const auto* f = m.payload.as<CacheFill>()) {
    fill(ctx, m, *f);
  } else if (const auto* inv = m.payload.as<Invalidate>()) {
    invalidate(ctx, m, *inv);
  } else if (const auto* w = m.payload.as<CacheWrite>()) {
    write(ctx, m, *w);
  } else if (const auto* v = m.payload.as<StoreValue>()) {
    store_value(ctx, *v);
  } else if (const auto* ack = m.payload.as<StoreWriteAck>()) {
    store_ack(ctx, *ack);
  }
}

void CacheNode::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  flush(ctx);
}

bool CacheNode::dirty(const std::string& key) const {
  for (const CacheWrite& w : queue_) {
    if (w.key == key) return true;
  }
  return false;
}

const CacheNode::Entry* CacheNode::live(sim::Context& ctx, const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (ctx.now() < it->second.expires || dirty(key)) return &it->second;
  entries_.erase(it);
  return nullptr;
}

void CacheNode::get(sim::Context& ctx, const sim::Message& m, const std::string& key) {
  if (const Entry* e = live(ctx, key)) {
    ++options_.ghost->hits;
    ctx.reply(m, CacheHit{e->value});
    return;
  }
  ++options_.ghost->misses;
  if (options_.flags.mode != Mode::kAside) {
    // Read-through: ask the store on every miss (a lost read is asked again with the retry).
    readers_[key].push_back(m);
    ctx.send(options_.store, StoreRead{key, ctx.now().ns()});
    return;
  }
  if (!options_.flags.lease_fills) {
    ctx.reply(m, CacheMiss{ctx.new_call_id()});  // any reader may fill, with a plain set
    return;
  }
  auto held = leases_.find(key);
  if (held != leases_.end() && ctx.now() < held->second.granted + options_.timing.lease_timeout) {
    ctx.reply(m, CacheMiss{0});  // another reader is filling: wait for it
    return;
  }
  const Lease lease{ctx.new_call_id(), ctx.now()};
  leases_[key] = lease;
  ctx.reply(m, CacheMiss{lease.token});
}

void CacheNode::fill(sim::Context& ctx, const sim::Message& m, const CacheFill& f) {
  const sim::Duration ttl = options_.timing.ttl;
  if (!options_.flags.lease_fills) {
    entries_[f.key] = {f.value, f.version, ctx.now() + ttl};
    ++options_.ghost->fills_accepted;
    ctx.reply(m, CacheHit{f.value});
    return;
  }
  auto held = leases_.find(f.key);
  if (held == leases_.end() || held->second.token != f.lease) {
    // The lease was voided by an invalidation (or replaced): the value may predate a write.
    ++options_.ghost->fills_refused;
    ctx.reply(m, CacheMiss{0});
    return;
  }
  const sim::LocalTime expires =
      options_.flags.ttl_from_fill ? ctx.now() + ttl : held->second.granted + ttl;
  leases_.erase(held);
  if (ctx.now() >= expires) {
    ++options_.ghost->fills_refused;
    ctx.reply(m, CacheMiss{0});
    return;
  }
  entries_[f.key] = {f.value, f.version, expires};
  ++options_.ghost->fills_accepted;
  ctx.reply(m, CacheHit{f.value});
}

void CacheNode::invalidate(sim::Context& ctx, const sim::Message& m, const Invalidate& inv) {
  entries_.erase(inv.key);
  leases_.erase(inv.key);
  ctx.send(m.from, InvalidateAck{inv.key, inv.version});
}

void CacheNode::write(sim::Context& ctx, const sim::Message& m, const CacheWrite& w) {
  if (options_.flags.mode == Mode::kThrough) {
    writes_[w.write] = {m, ctx.now()};
    ctx.send(options_.store, StoreWrite{w.key, w.value, w.write});
    return;
  }
  if (options_.flags.mode != Mode::kBack) return;  // cache-aside writers write the store
  // Write-back: the write is acknowledged now, held in memory only until a flush reaches the store.
  entries_[w.key] = {w.value, 0, ctx.now() + options_.timing.ttl};
  queue_.push_back(w);
  ctx.reply(m, CacheWriteAck{w.write});
}

void CacheNode::store_value(sim::Context& ctx, const StoreValue& v) {
  // An answer to a read asked before a crash may be older than a value this cache served then,
  // which the versions it knew, lost with the crash, would have told.
  if (v.asked < started_.ns()) return;
  auto waiting = readers_.find(v.key);
  if (waiting == readers_.end()) return;
  uint64_t& known = known_[v.key];
  if (!dirty(v.key) && v.version >= known) {
    known = v.version;
    entries_[v.key] = {v.value, v.version, sim::LocalTime::from_ns(v.asked) + options_.timing.ttl};
  }
  // The entry is now at least as new as what the store answered; an older answer (a write went
  // through meanwhile and its entry has expired already) is no answer: the readers ask again.
  const Entry* e = live(ctx, v.key);
  if (!e) return;
  for (const sim::Message& r : waiting->second) ctx.reply(r, CacheHit{e->value});
  readers_.erase(waiting);
}

void CacheNode::store_ack(sim::Context& ctx, const StoreWriteAck& ack) {
  if (options_.flags.mode == Mode::kThrough) {
    auto it = writes_.find(ack.write);
    if (it == writes_.end()) return;
    const auto* w = it->second.request.payload.as<CacheWrite>();
    uint64_t& known = known_[w->key];
    if (ack.version >= known) {
      // Counted from when the write was sent: the store applied it after that.
      known = ack.version;
      entries_[w->key] = {w->value, ack.version, it->second.sent + options_.timing.ttl};
    }
    ctx.reply(it->second.request, CacheWriteAck{ack.write});
    writes_.erase(it);
    return;
  }
  if (queue_.empty() || queue_.front().write != ack.write) return;  // a duplicate ack
  const CacheWrite done = queue_.front();
  queue_.pop_front();
  uint64_t& known = known_[done.key];
  if (ack.version > known) known = ack.version;
  if (!dirty(done.key)) {
    // The entry holds this write's value (the last queued for its key): clean from now on.
    entries_[done.key] = {done.value, ack.version, ctx.now() + options_.timing.ttl};
  }
  flush(ctx);
}

void CacheNode::flush(sim::Context& ctx) {
  // One write at a time, in order, resent each interval until acknowledged: the store applies
  // a key's writes in the order they were acknowledged to the writers.
  if (!queue_.empty())
    ctx.send(options_.store,
             StoreWrite{queue_.front().key, queue_.front().value, queue_.front().write});
}

}  // namespace faultline::protocols::cache
