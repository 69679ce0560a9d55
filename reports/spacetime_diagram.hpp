#pragma once
// A space-time diagram of a trace (Lamport, "Time, Clocks, and the Ordering of Events", Fig. 1)
// as Graphviz DOT: one lifeline per node and client, time running down, messages as arrows between
// lifelines, faults as markers, and the events of a violation in bold red. Rows follow true time,
// not Lamport clocks: the failures we show (a lease outlived by a pause, a clock jump) are about
// what happened at the same true instant, which a purely causal layout would hide.
//
// The DOT places every node itself (one column per lifeline, one row per instant, sized from
// text_width.hpp's estimate): Graphviz's "nop2" layout only draws it, in milliseconds, with
// straight lines. Its own ranking ("dot") took seconds for a few hundred events.
//
// Only part of the trace is drawn (docs/diagrams.md): a run of 50,000 events is unreadable. With
// a violation and `causal_slice`, its causal past with routine repeats folded (causal_slice.hpp);
// otherwise a window of time around the violation or at the end of the run.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "base/finding.hpp"
#include "reports/causal_slice.hpp"
#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

struct DiagramFocus {
  static constexpr int64_t kNoViolation = -1;
  // True time of the violation; a window is centred on it. Negative: no violation, draw the end.
  int64_t violation_at_ns = kNoViolation;
  std::vector<std::string> nodes;                 // lifelines drawn first (leftmost), in order
  std::vector<uint64_t> highlight_event_indices;  // trace indices drawn bold red
  // The violations, each drawn at its time (at_ns) rather than at its record (trace_index): a
  // checker that judges the whole run reports when the run ends, so its record is the last one,
  // but its box belongs where it broke. The nodes it involves are where its causal past starts.
  std::vector<Finding> violations;
  size_t max_events = 300;  // the most events (a slice: rows) drawn; a slice's 0: no bound
  // Draw the violations' causal slice rather than a window of time (when there is a violation).
  bool causal_slice = false;
};

// What a diagram draws: events, and for a causal slice its folded rows and what its bound cut.
struct DiagramSelection {
  std::vector<size_t> events;  // positions in the records, ascending
  std::vector<FoldedRun> folds;
  bool causal = false;
  size_t rows = 0;         // a slice's: rows drawn (a message, send and delivery, is one)
  size_t past_events = 0;  // a slice's: drawable records in the violations' causal past
  size_t cut_rows = 0;     // a slice's: rows left out by the bound (routine and oldest first)
  size_t cut_events = 0;   // the records they stood for
};

// The causal slice when the focus asks for one and has violations, else the window below.
DiagramSelection select_diagram(const std::vector<TraceRecord>& records, const DiagramFocus& focus);

// The message a diagram writes at its top when a slice's bound left rows out.
std::string cut_marker(const DiagramSelection& selection);

// Positions (into `records`, ascending) of the events the diagram shows: select_diagram's events.
// Without a slice, a window of at most `max_events`: every violation record; highlighted events
// outside the window, nearest the violation first, up to a third of `max_events`; and a window of
// what is left around the violation — four fifths before it, one fifth after — or at the end of the
// run without one.
std::vector<size_t> select_diagram_events(const std::vector<TraceRecord>& records,
                                          const DiagramFocus& focus);

// Writes the diagram. `title` (the scenario, the seed) heads it. Events not selected are elided
// per lifeline with "… N earlier events" / "… N events" / "… N later events" markers; a slice's
// folded rows are dashed boxes on their sender's lifeline ("×37 AppendEntries s1→s2 (repeats)").
void write_spacetime_dot(std::ostream& out, const std::vector<TraceRecord>& records,
                         const DiagramFocus& focus, const std::string& title = "");

// A DOT double-quoted string literal (quotes included) for `text`: quotes and backslashes escaped,
// newlines as DOT's centred line break, other control characters dropped.
std::string dot_quote(const std::string& text);

}  // namespace faultline::reports
