#pragma once
// A protocol's intervals (sim::Context::hold_interval): a lease as its holder counts it on its
// own clock, a server's grant, a Raft leader's read lease. Read from the trace's interval records
// (an `interval` record opens one or moves its deadline, `interval-end` ends it) so that the
// diagrams draw each as a thin bar beside its node's lifeline, and the step-through says what a
// node holds. Where the bars of two nodes overlap in true time is the lesson of a lease scenario.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

struct IntervalSpan {
  static constexpr size_t kOpen = static_cast<size_t>(-1);

  std::string node;
  std::string label;     // "lease", "lease to client2", "read lease"
  bool wall = false;     // its deadline is on the node's wall clock, not its monotonic one
  size_t start = 0;      // position of the record that opened it
  size_t end = kOpen;    // position of its interval-end record; kOpen: open at the end
  int64_t start_ns = 0;  // true time
  int64_t end_ns = 0;    // true time of its end; meaningless while open
  int64_t until_ns = 0;  // its last deadline, on the node's clock
  std::string why;       // how it ended: "deadline", "ended", "crash"; empty while open
  size_t moves = 0;      // times its deadline moved (renewals)

  bool open() const { return end == kOpen; }
};

// What an `interval` record sets: the deadline on the node's clock, and whether that clock is its
// wall clock (else its monotonic one).
struct IntervalDeadline {
  int64_t until_ns = 0;
  bool wall = false;
};
IntervalDeadline interval_deadline(const TraceRecord& record);

// A time as the labels show it: to the millisecond from 100ms on, else to the microsecond.
std::string rounded_ns(int64_t ns);

// The intervals of `records`, ordered by their start.
std::vector<IntervalSpan> interval_spans(const std::vector<TraceRecord>& records);

// The bar's label: "lease until 2.15s (its clock)", "read lease, renewed 12×, until 4.2s (its
// clock)", "lease to client1 until 10.3s (its wall clock)".
std::string interval_label(const IntervalSpan& span);

// The bar's tooltip: the label, then when it held in true time and how it ended.
std::string interval_tooltip(const IntervalSpan& span);

}  // namespace faultline::reports
