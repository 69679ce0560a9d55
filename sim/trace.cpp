#include "sim/trace.hpp"

namespace faultline::sim {

std::string_view to_string(TraceKind kind) {
  switch (kind) {
    case TraceKind::kSend:
      return "send";
    case TraceKind::kDeliver:
      return "deliver";
    case TraceKind::kDrop:
      return "drop";
    case TraceKind::kTimer:
      return "timer";
    case TraceKind::kTimerSet:
      return "timer-set";
    case TraceKind::kTimerCancel:
      return "timer-cancel";
    case TraceKind::kStart:
      return "start";
    case TraceKind::kCrash:
      return "crash";
    case TraceKind::kRestart:
      return "restart";
    case TraceKind::kPause:
      return "pause";
    case TraceKind::kResume:
      return "resume";
    case TraceKind::kPartition:
      return "partition";
    case TraceKind::kHeal:
      return "heal";
    case TraceKind::kClockJump:
      return "clock-jump";
    case TraceKind::kClockDrift:
      return "clock-drift";
    case TraceKind::kNetwork:
      return "network";
    case TraceKind::kConfig:
      return "config";
    case TraceKind::kBuggify:
      return "buggify";
    case TraceKind::kNote:
      return "note";
    case TraceKind::kOperation:
      return "operation";
    case TraceKind::kTrigger:
      return "trigger";
    case TraceKind::kViolation:
      return "violation";
    case TraceKind::kInterval:
      return "interval";
    case TraceKind::kIntervalEnd:
      return "interval-end";
  }
  return "?";
}

}  // namespace faultline::sim
