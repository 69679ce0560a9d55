#pragma once
// The space-time diagram as a Mermaid sequence diagram (`diagram.mmd`), for where people read a
// failure without opening a file: GitHub renders Mermaid in issues, pull requests and job
// summaries. The same events as the DOT diagram (select_diagram: a violation's causal slice, or
// a window), so both tell the same part of the story; Mermaid has no time axis, so each arrow is
// drawn where its message ended (delivered, or lost with a cross), and faults and notes carry their
// true time.

#include <ostream>
#include <string>
#include <vector>

#include "reports/spacetime_diagram.hpp"
#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

// Writes `sequenceDiagram` text: a participant per lifeline (the focus's nodes first), messages
// labelled with their fields (message_label), faults and operations as notes, consecutive timer
// firings of a node as one note, highlighted events on a red band and each violation as a red
// note over the nodes it involves.
void write_mermaid_sequence(std::ostream& out, const std::vector<TraceRecord>& records,
                            const DiagramFocus& focus, const std::string& title = "");

// Text made safe inside a Mermaid message or note: `;`, `#`, `<`, `>` and `%` as entity codes
// (#59; ...), newlines as <br>, other control characters dropped.
std::string mermaid_text(const std::string& text);

}  // namespace faultline::reports
