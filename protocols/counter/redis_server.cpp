// A Redis-like counter server (Redis replication: PSYNC's full and partial resynchronisation;
// WAIT for the acknowledged variant); see redis_server.hpp.
#include "protocols/counter/redis_server.hpp"

#include <algorithm>

namespace faultline::protocols::counter {
namespace {

constexpr uint64_t kReplicateTick = 1;
const char* const kStateKey = "state";

}  // namespace

void RedisServer::on_start(sim::Context& ctx) {
  if (const ServerState* saved = ctx.storage().get<ServerState>(kStateKey)) {
    state_ = *saved;
  } else {
    state_.primary = static_cast<int64_t>(options_.initial_primary);
    // The first primary's log is the one every replica syncs from in epoch 1.
    if (ctx.self() == options_.initial_primary) state_.synced_epoch = state_.epoch;
    persist(ctx);
  }
  primary_ = state_.primary == static_cast<int64_t>(ctx.self());
  ctx.every(options_.replicate_interval, kReplicateTick);
}

std::string RedisServer::describe() const {
  return std::string(primary_ ? "primary" : "replica") + " epoch " + std::to_string(state_.epoch) +
         ", value " + std::to_string(sum(state_.log.size()));
}

void RedisServer::on_message(sim::Context& ctx, const sim::Message& m) {
  if (const auto* incr = m.payload.as<Incr>()) {
    on_incr(ctx, m, *incr);
  } else if (m.payload.is<Get>()) {
    on_get(ctx, m);
  } else if (const auto* r = m.payload.as<Replicate>()) {
    on_replicate(ctx, m, *r);
  } else if (const auto* ack = m.payload.as<ReplicateAck>()) {
    on_ack(ctx, *ack);
  } else if (const auto* ping = m.payload.as<Ping>()) {
    if (ping->epoch > state_.epoch) adopt(ctx, ping->epoch, ping->primary);
    ctx.send(m.from, Pong{state_.epoch});
  }
}

void RedisServer::on_timer(sim::Context& ctx, sim::TimerId, uint64_t tag) {
  if (tag == kReplicateTick && primary_) replicate(ctx);
}

// A newer epoch, from the sentinel or from a server that heard of it: become what it says.
void RedisServer::adopt(sim::Context& ctx, uint64_t epoch, int64_t primary) {
  const bool was_primary = primary_;
  state_.epoch = epoch;
  state_.primary = primary;
  primary_ = primary == static_cast<int64_t>(ctx.self());
  // A new primary's log is its epoch's, by definition: it syncs from no one.
  if (primary_) state_.synced_epoch = epoch;
  persist(ctx);
  replica_size_ = -1;
  acked_round_ = 0;
  // Requests waiting for a replica of the old epoch will never be answered here: their clients
  // time out and ask the new primary (with the same idempotency key, if they have one).
  waiting_writes_.clear();
  waiting_reads_.clear();
  if (primary_) {
    ctx.note("promoted: primary in epoch " + std::to_string(epoch));
    replicate(ctx);
  } else if (was_primary) {
    ctx.note("demoted: replica of " + ctx.name_of(static_cast<sim::NodeId>(primary)) +
             " in epoch " + std::to_string(epoch));
  }
}

void RedisServer::on_incr(sim::Context& ctx, const sim::Message& request, const Incr& incr) {
  if (!primary_) {
    ctx.reply(request, CounterReply{"not-primary", 0, state_.primary});
    return;
  }
  if (!incr.key.empty()) {
    auto it = std::find_if(state_.log.begin(), state_.log.end(),
                           [&](const Entry& e) { return e.key == incr.key; });
    if (it != state_.log.end()) {
      // A retry of an increment already in the log: answered, not applied again.
      const size_t need = static_cast<size_t>(it - state_.log.begin()) + 1;
      if (!options_.ack_after_replication) {
        ctx.reply(request, CounterReply{"ok", sum(need), state_.primary});
        return;
      }
      waiting_writes_.emplace(need, request);
      answer_ready(ctx);
      return;
    }
  }
  state_.log.push_back(Entry{incr.op, incr.key, incr.amount});
  persist(ctx);
  ghost_->appended(incr.op, ctx.name(), ctx.observer_time().ns());
  if (options_.ack_after_replication) {
    waiting_writes_.emplace(state_.log.size(), request);
  } else {
    ctx.reply(request, CounterReply{"ok", sum(state_.log.size()), state_.primary});
  }
  replicate(ctx);
}

void RedisServer::on_get(sim::Context& ctx, const sim::Message& request) {
  if (!primary_) {
    ctx.reply(request, CounterReply{"not-primary", 0, state_.primary});
    return;
  }
  if (!options_.ack_after_replication) {
    ctx.reply(request, CounterReply{"ok", sum(state_.log.size()), state_.primary});
    return;
  }
  // Answered once the replica acknowledges a round sent from now on: it was still our replica
  // in this epoch after the GET arrived.
  replicate(ctx);
  waiting_reads_.emplace(round_, request);
}

void RedisServer::on_replicate(sim::Context& ctx, const sim::Message& m, const Replicate& r) {
  if (r.epoch < state_.epoch) {
    // A deposed primary: tell it who replaced it.
    ctx.send(m.from, ReplicateAck{state_.epoch, state_.primary, 0, r.round});
    return;
  }
  if (r.epoch > state_.epoch) adopt(ctx, r.epoch, static_cast<int64_t>(m.from));
  if (primary_) return;  // one primary per epoch: this cannot come from a peer of ours
  if (state_.synced_epoch != r.epoch) {
    if (r.from != 0) {
      // Not synced in this epoch yet: ask for the full log (an acknowledged length of 0, and no
      // round: this replica cannot vouch for a read yet).
      ctx.send(m.from, ReplicateAck{state_.epoch, state_.primary, 0, 0});
      return;
    }
    // A full resynchronisation: whatever this server held that the primary does not is gone.
    if (state_.log != r.entries) {
      ctx.note("full sync from " + ctx.name_of(m.from) + ": " + std::to_string(state_.log.size()) +
               " entries (value " + std::to_string(sum(state_.log.size())) + ") replaced by " +
               std::to_string(r.entries.size()));
    }
    state_.log = r.entries;
    state_.synced_epoch = r.epoch;
    persist(ctx);
  } else if (r.from <= state_.log.size() && r.from + r.entries.size() > state_.log.size()) {
    // Our log is a prefix of the primary's in this epoch: append what we lack.
    state_.log.insert(state_.log.end(),
                      r.entries.begin() + static_cast<long>(state_.log.size() - r.from),
                      r.entries.end());
    persist(ctx);
  }
  ctx.send(m.from, ReplicateAck{state_.epoch, state_.primary, state_.log.size(), r.round});
}

void RedisServer::on_ack(sim::Context& ctx, const ReplicateAck& ack) {
  if (ack.epoch > state_.epoch) {
    adopt(ctx, ack.epoch, ack.primary);
    return;
  }
  if (ack.epoch < state_.epoch || !primary_) return;
  replica_size_ = std::max(replica_size_, static_cast<int64_t>(ack.size));
  acked_round_ = std::max(acked_round_, ack.round);
  answer_ready(ctx);
}

void RedisServer::replicate(sim::Context& ctx) {
  // Round numbers are unique in the world, so an acknowledgement from before a crash never
  // passes for one of a round sent after it.
  round_ = ctx.new_call_id();
  const size_t from =
      replica_size_ < 0 ? 0 : std::min(static_cast<size_t>(replica_size_), state_.log.size());
  Replicate r{state_.epoch, from, {}, round_};
  r.entries.assign(state_.log.begin() + static_cast<long>(from), state_.log.end());
  ctx.send(options_.peer, std::move(r));
}

void RedisServer::answer_ready(sim::Context& ctx) {
  const uint64_t held = replica_size_ < 0 ? 0 : static_cast<uint64_t>(replica_size_);
  while (!waiting_writes_.empty() && waiting_writes_.begin()->first <= held) {
    auto it = waiting_writes_.begin();
    ctx.reply(it->second, CounterReply{"ok", sum(it->first), state_.primary});
    waiting_writes_.erase(it);
  }
  while (!waiting_reads_.empty() && waiting_reads_.begin()->first <= acked_round_) {
    auto it = waiting_reads_.begin();
    // The prefix the replica holds: every acknowledged increment, none a failover can discard.
    ctx.reply(it->second, CounterReply{"ok", sum(held), state_.primary});
    waiting_reads_.erase(it);
  }
}

int64_t RedisServer::sum(size_t prefix) const {
  int64_t total = 0;
  for (size_t i = 0; i < prefix && i < state_.log.size(); ++i) total += state_.log[i].amount;
  return total;
}

void RedisServer::persist(sim::Context& ctx) {
  ctx.storage().put(kStateKey, state_);
  ctx.storage().sync();
}

}  // namespace faultline::protocols::counter
