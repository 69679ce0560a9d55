#pragma once
// Faults that last: a node's pause (pause → resume), its down time (crash → restart) and a
// partition (partition → heal, or the partition that replaces it), read from the trace alone so
// that the diagrams can draw each as a bar from its start to its end instead of two points.
// A clock jump or a drift change is a point here; how long the clock stays off is a clock span
// (clock_spans.hpp), drawn beside the lifeline rather than on it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

struct FaultSpan {
  enum class Kind { kPause, kDown, kPartition };
  static constexpr size_t kOpen = static_cast<size_t>(-1);

  Kind kind = Kind::kPause;
  std::string node;    // whose lifeline; empty for a partition (it belongs to the world)
  std::string sides;   // a partition's cut as its record names it: "split {n1} | {n2,n3}"
  size_t start = 0;    // position in the records of the record that began it
  size_t end = kOpen;  // position of the record that ended it; kOpen: the trace never does
  int64_t start_ns = 0;
  int64_t end_ns = 0;  // true time of its end; meaningless while open

  bool open() const { return end == kOpen; }
};

// The spans of `records`, ordered by their start. A crash ends a pause (the node is down, no
// longer paused), a start or restart ends down time, a partition that does not stack ends every
// partition in force and one naming a partition id in force replaces it, a heal with an id ends
// that partition and one without ends them all.
std::vector<FaultSpan> fault_spans(const std::vector<TraceRecord>& records);

// "paused 15s", "down 2.1s", "partition split {n1} | {n2,n3}  4s". An open span is measured to
// `until_ns` (where the diagram stops) and says so: "down 2.1s, not restarted".
std::string span_label(const FaultSpan& span, int64_t until_ns);

// Only how long: "15s", "2.1s, not restarted" (for a label beside what already names the fault).
std::string span_length(const FaultSpan& span, int64_t until_ns);

}  // namespace faultline::reports
