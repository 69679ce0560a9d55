#include "protocols/locks/protected_resource.hpp"

#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {
namespace {
const std::string kCellPrefix = "cell/";
}  // namespace

void ProtectedResource::on_start(sim::Context& ctx) {
  const sim::Storage& disk = ctx.storage();
  for (const std::string& key : disk.keys_with_prefix(kCellPrefix)) {
    cells_[key.substr(kCellPrefix.size())] = *disk.get<ResourceCell>(key);
  }
}

void ProtectedResource::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* read = message.payload.as<Read>()) {
    // A cell never written reads 0, and stays out of the map, as out of storage.
    auto it = cells_.find(read->resource);
    ctx.reply(message, ReadResult{it == cells_.end() ? 0 : it->second.value});
  } else if (const auto* write = message.payload.as<Write>()) {
    ResourceCell& cell = cells_[write->resource];
    bool accepted = !fenced_ || write->token >= cell.highest_token;
    if (accepted) {
      cell.value = write->value;
      cell.highest_token = std::max(cell.highest_token, write->token);
      ctx.storage().put(kCellPrefix + write->resource, cell);
      ctx.storage().sync();  // before the reply: an acknowledged write survives a crash
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
