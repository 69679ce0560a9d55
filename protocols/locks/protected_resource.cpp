#include "protocols/locks/protected_resource.hpp"

#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {

void ProtectedResource::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* read = message.payload.as<Read>()) {
    ctx.reply(message, ReadResult{cells_[read->resource].value});
  } else if (const auto* write = message.payload.as<Write>()) {
    Cell& cell = cells_[write->resource];
    bool accepted = !fenced_ || write->token >= cell.highest_token;
    if (accepted) {
      cell.value = write->value;
      cell.highest_token = std::max(cell.highest_token, write->token);
    }
    ghost_->accesses.push_back({write->resource, ctx.name_of(message.from), write->token,
                                ctx.observer_time().ns(), accepted});
    ctx.reply(message, WriteResult{accepted, cell.highest_token});
  }
}

std::string ProtectedResource::describe() const {
  std::string out;
  for (const auto& [name, cell] : cells_) {
    out += (out.empty() ? "" : ", ") + name + "=" + std::to_string(cell.value);
  }
  return out;
}

}  // namespace faultline::protocols::locks
