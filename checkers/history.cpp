#include "checkers/history.hpp"

#include <map>

#include "base/format_ns.hpp"
#include "checkers/input_error.hpp"

namespace faultline::checkers {

const char* to_string(OpType type) {
  switch (type) {
    case OpType::invoke:
      return "invoke";
    case OpType::ok:
      return "ok";
    case OpType::fail:
      return "fail";
    case OpType::info:
      return "info";
  }
  return "?";
}

std::string numbered_process(std::int64_t process) {
  return "process " + std::to_string(process);
}

std::string process_label(const History& history, std::int64_t process) {
  auto it = history.process_names.find(process);
  return it != history.process_names.end() ? it->second : numbered_process(process);
}

std::optional<std::int64_t> json_int64(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return std::nullopt;
}

std::vector<CallReturn> pair_calls(const History& history) {
  std::vector<CallReturn> calls;
  // Open invokes by process. A process completed with info may invoke again (Jepsen retires it,
  // a hand-written history might not); its unknown operation simply stays open forever.
  std::map<std::int64_t, std::size_t> open;  // process -> index into `pending`
  struct Pending {
    const Operation* invoke;
    const Operation* completion;
  };
  std::vector<Pending> pending;
  pending.reserve(history.ops.size() / 2 + 1);

  for (const Operation& op : history.ops) {
    auto it = open.find(op.process);
    if (op.type == OpType::invoke) {
      if (it != open.end()) {
        const Operation& prev = *pending[it->second].invoke;
        throw InputError(history.source, op.line,
                         "a completion of process " + std::to_string(op.process) + "'s open " +
                             prev.f + " (line " + std::to_string(prev.line) + ")",
                         "another invoke");
      }
      open.emplace(op.process, pending.size());
      pending.push_back({&op, nullptr});
      continue;
    }
    if (it == open.end()) {
      throw InputError(
          history.source, op.line,
          "an invoke of process " + std::to_string(op.process) + " before its completion",
          std::string(to_string(op.type)) + " " + op.f + " with no open invoke");
    }
    Pending& p = pending[it->second];
    if (op.f != p.invoke->f) {
      throw InputError(history.source, op.line,
                       "completion f " + p.invoke->f + " (invoked on line " +
                           std::to_string(p.invoke->line) + ")",
                       op.f);
    }
    if (op.time_ns < p.invoke->time_ns) {
      throw InputError(history.source, op.line,
                       "a completion time >= its invoke's " + std::to_string(p.invoke->time_ns),
                       std::to_string(op.time_ns));
    }
    p.completion = &op;
    open.erase(it);
  }

  for (const Pending& p : pending) {
    const Operation* done = p.completion;
    if (done != nullptr && done->type == OpType::fail) continue;  // never took effect
    CallReturn c;
    c.id = calls.size();
    c.process = p.invoke->process;
    c.f = p.invoke->f;
    c.input = p.invoke->value;
    c.call = p.invoke->time_ns;
    c.call_line = p.invoke->line;
    if (done != nullptr && done->type == OpType::ok) {
      c.output = done->value;
      c.output_known = true;
      c.ret = done->time_ns;
      c.ret_line = done->line;
    } else if (done != nullptr) {
      c.ret_line = done->line;  // info: the return stays at kNever
    }
    calls.push_back(std::move(c));
  }
  return calls;
}

}  // namespace faultline::checkers
