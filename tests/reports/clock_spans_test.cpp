// How long each node's clocks were off true time, read from the trace: from the config record's
// skew, a jump or a drift to the record that changed them, or to the end; and the diagram's bar.
#include "reports/clock_spans.hpp"

#include <sstream>

#include <doctest/doctest.h>

#include "reports/spacetime_diagram.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/reports/diagram_trace.hpp"

using namespace faultline;
using namespace faultline::reports;
using faultline::reports::testing::DiagramTrace;
using sim::TraceKind;

TEST_CASE("a clock span runs from a skew, jump or drift to the record that changes it") {
  DiagramTrace t;
  t.add(0, TraceKind::kConfig, "").data = {
      {"clocks",
       {{"a", {{"drift_ppm", 0}, {"offset", 0}}}, {"b", {{"drift_ppm", 0}, {"offset", 2000000}}}}}};
  t.add(0, TraceKind::kStart, "a");                          // 1
  t.add(0, TraceKind::kStart, "b").wall_ns = 2000000;        // 2: b's skew, as configured
  TraceRecord& jump = t.add(5, TraceKind::kClockJump, "a");  // 3
  jump.detail = "+5s";
  jump.local_ns = 5 * testing::kMs;
  jump.wall_ns = jump.local_ns + 5000000000;
  TraceRecord& drift = t.add(7, TraceKind::kClockDrift, "a");  // 4
  drift.detail = "-100000ppm";
  drift.local_ns = 7 * testing::kMs;
  drift.wall_ns = drift.local_ns + 5000000000;
  TraceRecord& back = t.add(9, TraceKind::kClockJump, "a");  // 5: the wall clock back, still slow
  back.detail = "-5s";
  back.local_ns = 9 * testing::kMs;
  back.wall_ns = back.local_ns;

  const std::vector<ClockSpan> spans = clock_spans(t.records);
  REQUIRE(spans.size() == 4);
  // b: skewed from the start to the end.
  CHECK(spans[0].node == "b");
  CHECK(spans[0].clock == "wall +2ms");
  CHECK(spans[0].start == 0);
  CHECK(spans[0].open());
  // a: the jump, then the jump and the drift, then the drift alone, to the end.
  CHECK(spans[1].node == "a");
  CHECK(spans[1].clock == "wall +5s");
  CHECK(spans[1].start == 3);
  CHECK(spans[1].end == 4);
  CHECK(spans[2].clock == "wall +5s, drift -100000ppm");
  CHECK(spans[2].end_ns == 9 * testing::kMs);
  CHECK(spans[3].clock == "drift -100000ppm");
  CHECK(spans[3].open());
  CHECK(clock_span_label(spans[3]) == "clock drift -100000ppm");
  CHECK(clock_span_tooltip(spans[1]) == "a: clock wall +5s\nfrom 5ms true time to 7ms (2ms)");
  CHECK(clock_span_tooltip(spans[0]) ==
        "b: clock wall +2ms\nfrom 0s true time to the end of the trace");
}

TEST_CASE("lease-clock-jump: the lock's jumped wall clock is an amber bar beside its lifeline") {
  const std::string path =
      std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/locks/lease-clock-jump.json";
  const run::Scenario scenario = run::parse_scenario(path, run::load_scenario_document(path));
  const run::RunOutcome outcome =
      run::run_scenario(scenario, run::RunOptions{.seed = 1, .keep_trace = true});
  const std::vector<ClockSpan> spans = clock_spans(outcome.trace);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].node == "lock");
  CHECK(spans[0].clock == "wall +20s");
  CHECK(outcome.trace[spans[0].start].kind == TraceKind::kClockJump);
  CHECK(spans[0].open());
  std::ostringstream dot;
  DiagramFocus focus;
  focus.violation_at_ns = outcome.violations.at(0).at_ns;
  write_spacetime_dot(dot, outcome.trace, focus, "lease-clock-jump");
  CHECK(dot.str().find("label=\"clock wall +20s\"") != std::string::npos);
  CHECK(dot.str().find("color=\"#d4a72c\", penwidth=3") != std::string::npos);
}
