#include "protocols/queue/sink.hpp"

#include "protocols/queue/messages.hpp"

namespace faultline::protocols::queue {

void Sink::on_message(sim::Context& ctx, const sim::Message& message) {
  const auto* apply = message.payload.as<Apply>();
  if (!apply) return;
  const std::string key = "applied/" + apply->id;
  sim::Storage& disk = ctx.storage();
  if (apply->once && disk.contains(key)) {
    ctx.reply(message, Applied{apply->id, true});
    return;
  }
  ghost_->apply(apply->id, ctx.name_of(message.from), ctx.observer_time().ns());
  // The effect and the id in one transaction, durable before the consumer hears of it.
  if (apply->once) disk.put(key, AppliedMark{});
  disk.sync();
  ctx.reply(message, Applied{apply->id, false});
}

}  // namespace faultline::protocols::queue
