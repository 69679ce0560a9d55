#include "reports/event_text.hpp"

namespace faultline::reports {

using sim::TraceKind;

std::string operation_text(const nlohmann::json& data) {
  std::string text;
  if (!data.is_object()) return "operation";
  for (const char* key : {"type", "f", "value"}) {
    auto it = data.find(key);
    if (it == data.end() || it->is_null()) continue;
    text += (text.empty() ? "" : " ") +
            (it->is_string() ? it->get<std::string>()
                             : it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return text.empty() ? "operation" : text;
}

std::string note_text(const TraceRecord& r) {
  const std::string with_detail = r.detail.empty() ? "" : " " + r.detail;
  switch (r.kind) {
    case TraceKind::kStart:
      return "start";
    case TraceKind::kRestart:
      return "restart";
    case TraceKind::kCrash:
      return "CRASH" + with_detail;
    case TraceKind::kPause:
      return "pause" + with_detail;
    case TraceKind::kResume:
      return "resume";
    case TraceKind::kPartition:
      return "partition" + with_detail;
    case TraceKind::kHeal:
      return "heal";
    case TraceKind::kClockJump:
      return "clock jump" + with_detail;
    case TraceKind::kClockDrift:
      return "clock drift" + with_detail;
    case TraceKind::kNetwork:
      return "network" + with_detail;
    case TraceKind::kBuggify:
      return "buggify" + with_detail;
    case TraceKind::kOperation:
      return operation_text(r.data);
    default:
      return r.detail;
  }
}

}  // namespace faultline::reports
