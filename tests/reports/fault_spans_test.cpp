// Spans read from the trace alone: pause to resume, crash to restart (a crash ends a pause),
// partition to heal or to the partition that replaces it, and their labels.
#include "reports/fault_spans.hpp"

#include <doctest/doctest.h>

#include "tests/reports/diagram_trace.hpp"

using namespace faultline;
using namespace faultline::reports;
using sim::TraceKind;

namespace {

using TraceBuilder = testing::DiagramTrace;
using testing::kMs;
using Kind = FaultSpan::Kind;

// A partition record as sim::World writes it: its cut named in the detail, its id in the data.
void partition(TraceBuilder& t, int64_t ms, const std::string& sides, int id, bool stacks) {
  TraceRecord& r = t.add(ms, TraceKind::kPartition, "");
  r.detail = sides;
  r.data = {{"id", id}, {"mode", "split"}};
  if (stacks) r.data["stacks"] = true;
}

void heal(TraceBuilder& t, int64_t ms, int id) {
  TraceRecord& r = t.add(ms, TraceKind::kHeal, "");
  if (id != 0) r.data = {{"id", id}};
}

}  // namespace

TEST_CASE(
    "a node's pause and down time are spans from the record that began them to the one "
    "that ended them") {
  TraceBuilder t;
  t.add(0, TraceKind::kStart, "n1");        // 0
  t.add(1000, TraceKind::kPause, "n1");     // 1
  t.add(1500, TraceKind::kPause, "n1");     // 2: already paused, no second span
  t.add(16000, TraceKind::kResume, "n1");   // 3
  t.add(17000, TraceKind::kPause, "n1");    // 4
  t.add(18000, TraceKind::kCrash, "n1");    // 5: ends the pause, begins down time
  t.add(20100, TraceKind::kRestart, "n1");  // 6
  t.add(21000, TraceKind::kCrash, "n2");    // 7: never restarted

  const std::vector<FaultSpan> spans = fault_spans(t.records);
  REQUIRE(spans.size() == 4);
  CHECK(spans[0].kind == Kind::kPause);
  CHECK(spans[0].node == "n1");
  CHECK(spans[0].start == 1);
  CHECK(spans[0].end == 3);
  CHECK(spans[0].start_ns == 1000 * kMs);
  CHECK(spans[0].end_ns == 16000 * kMs);
  CHECK(span_label(spans[0], 0) == "paused 15s");
  CHECK(spans[1].kind == Kind::kPause);
  CHECK(spans[1].end == 5);
  CHECK(span_label(spans[1], 0) == "paused 1s");
  CHECK(spans[2].kind == Kind::kDown);
  CHECK(spans[2].start == 5);
  CHECK(spans[2].end == 6);
  CHECK(span_label(spans[2], 0) == "down 2.1s");
  CHECK(spans[3].kind == Kind::kDown);
  CHECK(spans[3].node == "n2");
  CHECK(spans[3].open());
  // An open span is measured to where the diagram stops, and says it never ended.
  CHECK(span_label(spans[3], 23000 * kMs) == "down 2s, not restarted");
  CHECK(span_length(spans[3], 23000 * kMs) == "2s, not restarted");
}

TEST_CASE("a partition lasts until its heal, or until a partition that does not stack on it") {
  TraceBuilder t;
  partition(t, 1000, "split {n1} | {n2,n3}", 1, false);  // 0
  partition(t, 2000, "isolate {n3}", 2, true);           // 1: stacks on 1
  heal(t, 5000, 1);                                      // 2: ends 1 only
  partition(t, 6000, "split {n1,n2} | {n3}", 3, false);  // 3: replaces 2
  heal(t, 6500, 2);                                      // 4: 2 is over already
  heal(t, 8000, 0);                                      // 5: ends every partition
  partition(t, 9000, "isolate {n1}", 4, false);          // 6: never healed

  const std::vector<FaultSpan> spans = fault_spans(t.records);
  REQUIRE(spans.size() == 4);
  for (const FaultSpan& span : spans) {
    CHECK(span.kind == Kind::kPartition);
    CHECK(span.node.empty());
  }
  CHECK(spans[0].end == 2);
  CHECK(span_label(spans[0], 0) == "partition split {n1} | {n2,n3}  4s");
  CHECK(spans[1].end == 3);
  CHECK(span_label(spans[1], 0) == "partition isolate {n3}  4s");
  CHECK(spans[2].end == 5);
  CHECK(span_label(spans[2], 0) == "partition split {n1,n2} | {n3}  2s");
  CHECK(spans[3].open());
  CHECK(span_label(spans[3], 9500 * kMs) == "partition isolate {n1}  500ms, not healed");
}

TEST_CASE("a partition record without an id replaces every partition in force") {
  TraceBuilder t;
  t.add(1, TraceKind::kPartition, "").detail = "isolate {a}";
  t.add(2, TraceKind::kPartition, "").detail = "isolate {b}";
  t.add(3, TraceKind::kHeal, "");
  const std::vector<FaultSpan> spans = fault_spans(t.records);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].end == 1);
  CHECK(spans[1].end == 2);
  CHECK(span_label(spans[1], 0) == "partition isolate {b}  1ms");
}
