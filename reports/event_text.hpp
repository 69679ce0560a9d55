#pragma once
// What a trace record says in words, for the diagrams that write an event as text (Mermaid's
// notes, ShiViz's log lines): "CRASH", "partition s1 | s2 s3", "invoke write 3". A message's own
// words come from reports/message_label.hpp.

#include <string>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

// A client operation's `type f value` ("invoke write 3"), or "operation" when its data says none.
std::string operation_text(const nlohmann::json& data);

// An event that is not a message: its kind in words, then its detail.
std::string note_text(const TraceRecord& record);

}  // namespace faultline::reports
