// Faults fired by events instead of times (sim/faults.hpp FaultTrigger): the world counts each
// message sent and each message about to be handled against the armed triggers, in timeline
// order, and fires a trigger at its n-th match. Nothing here draws a random number, so a trigger
// changes a run only by the fault it fires.
#include <algorithm>

#include "sim/world.hpp"

namespace faultline::sim {

std::string_view to_string(FaultTrigger::On on) {
  return on == FaultTrigger::On::kSend ? "send" : "deliver";
}

void World::match_triggers(FaultTrigger::On on, uint32_t slot, bool& drop,
                           std::vector<Fault>& now) {
  for (ArmedTrigger& armed : triggers_) {
    const FaultTrigger& when = *armed.fault.when;
    if (armed.fired || when.on != on) continue;
    // Re-read at every trigger: nothing below sends, but the reference must not outlive a send.
    const Message& m = transport_.at(slot).message;
    const NodeId here = on == FaultTrigger::On::kSend ? m.from : m.to;
    const NodeId there = on == FaultTrigger::On::kSend ? m.to : m.from;
    if (when.node != kNoNode && when.node != here) continue;
    if (when.peer != kNoNode && when.peer != there) continue;
    if (!when.type.empty() && when.type != m.payload.type_name()) continue;
    if (++armed.seen < when.nth) continue;
    armed.fired = true;
    if (tracing()) trace_trigger(armed.fault, m);
    if (armed.fault.kind == Fault::Kind::kDrop) {
      drop = true;
      ++stats_.faults;
      const FaultTrigger* outer = applying_trigger_;
      applying_trigger_ = &when;
      log_fault(Fault{.kind = Fault::Kind::kDrop});
      applying_trigger_ = outer;
    } else if (when.after > Duration{}) {
      // A delayed fault is a timeline fault from now on: an event at its time.
      Fault fault = armed.fault;
      fault.at = now_ + when.after;
      faults_.push_back(fault);
      push(Event{fault.at, 0, EventKind::kFault, fault.node,
                 static_cast<uint32_t>(faults_.size() - 1)});
    } else {
      now.push_back(armed.fault);
    }
  }
}

std::vector<std::string> World::unfired_triggers() const {
  std::vector<std::string> out;
  for (const ArmedTrigger& armed : triggers_) {
    if (armed.fired) continue;
    const std::string& label = armed.fault.when->label;
    const std::string name = label.empty() ? "trigger" : label;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

void World::apply_triggered_after_step() {
  // A fault applied here may set off sends (a restart's on_start) that fire more send triggers.
  while (!triggered_pending_.empty()) {
    std::vector<Fault> due = std::move(triggered_pending_);
    triggered_pending_.clear();
    for (const Fault& fault : due) apply(fault);
  }
}

void World::trace_trigger(const Fault& fault, const Message& message) {
  const FaultTrigger& when = *fault.when;
  const bool send = when.on == FaultTrigger::On::kSend;
  TraceEvent e = make_trace(TraceKind::kTrigger, send ? message.from : message.to);
  e.peer = send ? message.to : message.from;
  e.message_id = message.id;
  e.call_id = message.call_id;
  const std::string entry = when.label.empty() ? "trigger" : when.label;
  // "faults[1]: crash on send #1 (Decision)"
  e.detail = entry + ": " + std::string(to_string(fault.kind)) + " on " +
             std::string(to_string(when.on)) + " #" + std::to_string(when.nth) + " (" +
             std::string(message.payload.type_name()) + ")";
  e.data = {{"entry", entry},
            {"on", to_string(when.on)},
            {"type", message.payload.type_name()},
            {"nth", when.nth},
            {"fault", to_string(fault.kind)}};
  if (when.after > Duration{}) e.data["after"] = format_duration(when.after);
  emit(e);
}

}  // namespace faultline::sim
