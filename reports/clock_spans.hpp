#pragma once
// How long each node's clocks were off: a span from the record where its wall clock's offset or
// its rate left true time's (a scenario's skew from the start, a jump, a drift) to the record
// where they changed again, or to the end of the trace. The diagram draws each as a bar beside
// the lifeline, so that a lease measured on a skewed clock can be read against it. Read from the
// trace alone, with the step-through's reading of clocks (step_through.hpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

struct ClockSpan {
  static constexpr size_t kOpen = static_cast<size_t>(-1);

  std::string node;
  std::string clock;     // "wall +5s", "drift -100000ppm", "wall +5s, drift +500ppm"
  size_t start = 0;      // position of the record that set it
  size_t end = kOpen;    // position of the record that changed it; kOpen: to the end
  int64_t start_ns = 0;  // true time
  int64_t end_ns = 0;    // meaningless while open

  bool open() const { return end == kOpen; }
};

// The clock spans of `records`, ordered by their start.
std::vector<ClockSpan> clock_spans(const std::vector<TraceRecord>& records);

// The bar's label ("clock wall +5s") and tooltip (the node, the label, and when in true time).
std::string clock_span_label(const ClockSpan& span);
std::string clock_span_tooltip(const ClockSpan& span);

}  // namespace faultline::reports
