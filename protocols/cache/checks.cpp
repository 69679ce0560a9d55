// The bounded-staleness and no-lost-write checkers: see checks.hpp for their definitions.
#include "protocols/cache/checks.hpp"

#include "base/format_ns.hpp"

namespace faultline::protocols::cache {
namespace {

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

}  // namespace

std::optional<Finding> check_bounded_staleness(const checkers::History& history,
                                               const ProcessName& name, const Ghost& ghost,
                                               sim::Duration bound) {
  std::optional<Finding> first;
  for (const checkers::Operation& op : history.ops) {
    if (op.type != checkers::OpType::ok || op.f != "get") continue;
    const std::string key = op.value.at(0).get<std::string>();
    const std::string value = op.value.at(1).get<std::string>();
    const int64_t c = op.time_ns;
    auto log = ghost.applied.find(key);
    if (log == ghost.applied.end()) continue;  // never written: every read is of ""
    const std::vector<Applied>& applied = log->second;
    // The index of the write that replaced `value`: the first one for "", the next after its own.
    size_t next = 0;
    bool found = value.empty();
    for (size_t i = 0; i < applied.size() && !found; ++i) {
      if (applied[i].value == value) {
        found = true;
        next = i + 1;
      }
    }
    if (!found || next >= applied.size()) continue;         // lost, or still current
    if (next > 0 && applied[next - 1].at_ns > c) continue;  // applied after the read: newer
    const Applied& replaced_by = applied[next];
    if (replaced_by.at_ns >= c - bound.ns()) continue;
    if (first && first->at_ns <= c) continue;
    Finding f;
    f.checker = "bounded-staleness";
    f.at_ns = c;
    f.message = name(op.process) + "'s get of " + key + " returned " + quoted(value) + " at " +
                format_ns(c) + ", replaced in the store by " + quoted(replaced_by.value) + " at " +
                format_ns(replaced_by.at_ns) + ": " + format_ns(c - replaced_by.at_ns) +
                " stale, beyond the " + format_ns(bound.ns()) + " bound";
    f.involved = {name(op.process)};
    first = f;
  }
  return first;
}

std::optional<Finding> check_no_lost_write(const checkers::History& history,
                                           const ProcessName& name, const Ghost& ghost) {
  for (const checkers::Operation& op : history.ops) {
    if (op.type != checkers::OpType::ok || op.f != "put") continue;
    const std::string key = op.value.at(0).get<std::string>();
    const std::string value = op.value.at(1).get<std::string>();
    bool applied = false;
    auto log = ghost.applied.find(key);
    if (log != ghost.applied.end()) {
      for (const Applied& a : log->second) applied = applied || a.value == value;
    }
    if (applied) continue;
    // Operations are recorded in true-time order: the first one found is the earliest.
    Finding f;
    f.checker = "no-lost-write";
    f.at_ns = op.time_ns;
    f.message = name(op.process) + "'s put of " + quoted(value) + " to " + key +
                " was acknowledged at " + format_ns(op.time_ns) + " but the store never applied it";
    f.involved = {name(op.process)};
    return f;
  }
  return std::nullopt;
}

}  // namespace faultline::protocols::cache
