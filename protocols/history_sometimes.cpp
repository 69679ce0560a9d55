#include "protocols/history_sometimes.hpp"

#include <cstddef>
#include <functional>
#include <memory>

namespace faultline::protocols {
namespace {

bool holds_something(const nlohmann::json& value) {
  if (value.is_array() && value.size() == 2) return holds_something(value[1]);
  if (value.is_null()) return false;
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_number()) return value != 0;
  if (value.is_array() || value.is_object()) return !value.empty();  // a row of items
  return true;
}

// Reached once the history holds an operation `matches` accepts. The world asks after every event
// until then, so each asks only about the operations recorded since it last did.
std::function<bool()> history_holds(const HistoryRecorder& history,
                                    std::function<bool(const checkers::Operation&)> matches) {
  auto scanned = std::make_shared<size_t>(0);
  return [&history, matches = std::move(matches), scanned] {
    const std::vector<checkers::Operation>& ops = history.history().ops;
    for (; *scanned < ops.size(); ++*scanned) {
      if (matches(ops[*scanned])) return true;
    }
    return false;
  };
}

}  // namespace

void add_history_sometimes(sim::World& world, const HistoryRecorder& history,
                           const HistorySometimesNames& names) {
  const std::string read_f = names.read_f;
  world.add_sometimes(names.written,
                      history_holds(history, [read_f](const checkers::Operation& op) {
                        return op.type == checkers::OpType::ok && op.f != read_f;
                      }));
  world.add_sometimes(names.read, history_holds(history, [read_f](const checkers::Operation& op) {
                        return op.type == checkers::OpType::ok && op.f == read_f &&
                               holds_something(op.value);
                      }));
}

HistorySometimesNames read_write_sometimes(std::string read_f) {
  return {std::move(read_f), "a write is acknowledged", "a read returns a written value"};
}

}  // namespace faultline::protocols
