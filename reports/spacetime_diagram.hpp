#pragma once
// A space-time diagram of a trace (Lamport, "Time, Clocks, and the Ordering of Events", Fig. 1)
// as Graphviz DOT: one lifeline per node and client, time running down, messages as arrows between
// lifelines, faults as markers, and the events of a violation in bold red. Rows follow true time,
// not Lamport clocks: the failures we show (a lease outlived by a pause, a clock jump) are about
// what happened at the same true instant, which a purely causal layout would hide.
//
// Only a window of the trace is drawn (docs/diagrams.md): a run of 50,000 events is unreadable;
// the ~300 around the violation tell the story.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

struct DiagramFocus {
  static constexpr int64_t kNoViolation = -1;
  // True time of the violation; the window is centred on it. Negative: no violation, draw the end.
  int64_t violation_at_ns = kNoViolation;
  std::vector<std::string> nodes;                 // lifelines drawn first (leftmost), in order
  std::vector<uint64_t> highlight_event_indices;  // trace indices drawn bold red, always shown
  size_t max_events = 300;                        // size of the window (highlights come on top)
};

// Positions (into `records`, ascending) of the events the diagram shows: a window of
// `max_events` around the violation — four fifths before it, one fifth after — or the last
// `max_events` without one, plus every highlighted event wherever it is.
std::vector<size_t> select_diagram_events(const std::vector<TraceRecord>& records,
                                          const DiagramFocus& focus);

// Writes the diagram. `title` (the scenario, the seed) heads it. Events outside the window are
// elided per lifeline with "… N earlier events" / "… N events" / "… N later events" markers.
void write_spacetime_dot(std::ostream& out, const std::vector<TraceRecord>& records,
                         const DiagramFocus& focus, const std::string& title = "");

// A DOT double-quoted string literal (quotes included) for `text`: quotes and backslashes escaped,
// newlines as DOT's centred line break, other control characters dropped.
std::string dot_quote(const std::string& text);

}  // namespace faultline::reports
