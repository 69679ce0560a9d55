#pragma once
// The causal slice of a violation: what the space-time diagram draws instead of a window of time.
// A run of 2,000 events is mostly heartbeats; the few that matter (who led which term, what was
// replicated where, the crash, the overwrite) can lie seconds apart, outside any window around
// the violation. The slice keeps the events that could have influenced the violation — its
// causal past under happens-before (Lamport) — folds routine repeats into counted rows, and keeps
// the most recent part within a bound. Read from the trace alone (docs/diagrams.md).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

// Where a violation's past ends: `nodes` (those it involves) as of the record `trace_index`,
// and no later than the true time `at_ns` (a checker that judges the whole run records its
// violation at the end of the run, about an instant before it).
struct SliceSeed {
  uint64_t trace_index = 0;
  int64_t at_ns = 0;
  std::vector<std::string> nodes;
};

// Routine events folded into one counted row: repeats of one message (same sender, receiver,
// type and outcome, payload the same but for its integers), or a node's timer firings with
// nothing kept after them — until something other than
// a message is kept on one of its lifelines.
struct FoldedRun {
  // The first folded record (in `records`): where, and on whose lifeline, the row is drawn — a
  // send's, a timer's, or a loss's whose send is not in the past.
  size_t position = 0;
  std::string node;             // the sender, or the node whose timer fired
  std::string peer;             // the receiver; empty for timers
  std::string type;             // the message type, or "timer <tag>"
  std::string outcome;          // "" delivered, "✗ <reason>" lost, "in flight" at the violation
  size_t count = 0;             // messages (or timer firings) folded
  std::vector<size_t> members;  // every folded record: sends, deliveries, drops, timer firings
  // The payload's integers, first and last value over the run, and those that moved.
  std::map<std::string, std::pair<int64_t, int64_t>> first_last;
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> ranges;

  // "×37 AppendEntries s1→s2 leader_commit 5..6 (repeats)", "×3 RequestVote s3→s2 ✗ down",
  // "×12 timer 2 at s1 (nothing followed)".
  std::string text() const;
};

struct CausalSlice {
  std::vector<size_t> events;    // records drawn (positions in `records`, ascending)
  std::vector<FoldedRun> folds;  // rows drawn for folded records, by position
  size_t rows = 0;         // rows drawn, what the bound counts: events, messages (send and delivery
                           // together, one arrow) and folded rows
  size_t past_events = 0;  // drawable records in the causal past (violations included)
  size_t cut_rows = 0;     // rows of the slice, oldest first, left out to respect the bound
  size_t cut_events = 0;   // the records those rows stood for
};

// The slice of the violations `seeds`: their causal past, routine repeats folded, then at most
// `max_rows` rows (0: no bound): its landmarks (faults, notes) first, then the most recent rows of
// each stretch between landmarks, shared out round by round. Violation records
// are always kept. Bookkeeping records (timer-set, timer-cancel, config) are never drawn.
CausalSlice causal_slice(const std::vector<TraceRecord>& records,
                         const std::vector<SliceSeed>& seeds, size_t max_rows);

}  // namespace faultline::reports
