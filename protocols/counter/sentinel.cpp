// The sentinel (Redis Sentinel's failover, one sentinel, no quorum of sentinels); see sentinel.hpp.
#include "protocols/counter/sentinel.hpp"

namespace faultline::protocols::counter {
namespace {

const char* const kStateKey = "config";

}  // namespace

void Sentinel::on_start(sim::Context& ctx) {
  if (const SentinelState* saved = ctx.storage().get<SentinelState>(kStateKey)) {
    state_ = *saved;
  } else {
    state_.primary = static_cast<int64_t>(options_.servers[0]);
    ctx.storage().put(kStateKey, state_);
    ctx.storage().sync();
  }
  // A fresh start gives both servers the benefit of the doubt for one failover_after.
  last_heard_ = {ctx.now(), ctx.now()};
  ctx.every(options_.ping_interval);
}

std::string Sentinel::describe() const {
  return "epoch " + std::to_string(state_.epoch) + ", primary node " +
         std::to_string(state_.primary);
}

void Sentinel::on_message(sim::Context& ctx, const sim::Message& m) {
  if (m.payload.is<Pong>()) last_heard_[index_of(m.from)] = ctx.now();
}

void Sentinel::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  const size_t primary = index_of(static_cast<sim::NodeId>(state_.primary));
  const size_t replica = 1 - primary;
  const bool primary_silent = ctx.now() - last_heard_[primary] > options_.failover_after;
  const bool replica_heard = ctx.now() - last_heard_[replica] <= options_.failover_after;
  if (primary_silent && replica_heard) {
    state_.epoch += 1;
    state_.primary = static_cast<int64_t>(options_.servers[replica]);
    ctx.storage().put(kStateKey, state_);
    ctx.storage().sync();
    ctx.note("failover: " + ctx.name_of(options_.servers[replica]) + " promoted in epoch " +
             std::to_string(state_.epoch));
  }
  for (sim::NodeId server : options_.servers) {
    ctx.send(server, Ping{state_.epoch, state_.primary});
  }
}

}  // namespace faultline::protocols::counter
