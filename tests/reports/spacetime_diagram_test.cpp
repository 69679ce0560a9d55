#include "reports/spacetime_diagram.hpp"

#include <algorithm>
#include <sstream>

#include <doctest/doctest.h>

#include "reports/svg_render.hpp"
#include "tests/reports/diagram_geometry.hpp"
#include "tests/reports/diagram_trace.hpp"

using namespace faultline;
using namespace faultline::reports;
using sim::TraceKind;

namespace {

using TraceBuilder = testing::DiagramTrace;
using testing::check_geometry;
using testing::kMs;
using testing::PlacedDiagram;

std::string dot_of(const std::vector<TraceRecord>& records, const DiagramFocus& focus) {
  std::ostringstream out;
  write_spacetime_dot(out, records, focus, "lease-gc-pause, seed 7");
  return out.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the diagram draws lifelines, message arrows, drops and fault markers") {
  TraceBuilder t;
  t.add(0, TraceKind::kStart, "lock");                                                    // e0
  t.add(1, TraceKind::kSend, "client1", "lock", 1, "Acquire");                            // e1
  t.add(3, TraceKind::kDeliver, "lock", "client1", 1, "Acquire");                         // e2
  t.add(4, TraceKind::kPause, "client1").detail = "gc";                                   // e3
  t.add(5, TraceKind::kPartition, "").detail = "isolate lock";                            // e4
  t.add(6, TraceKind::kSend, "client2", "lock", 2, "Acquire");                            // e5
  t.add(8, TraceKind::kDrop, "lock", "client2", 2, "Acquire").detail = "partition";       // e6
  t.add(9, TraceKind::kCrash, "lock");                                                    // e7
  t.add(9, TraceKind::kViolation, "").detail = "mutual-exclusion: \"lease\" held twice";  // e8

  DiagramFocus focus;
  focus.violation_at_ns = 9 * kMs;
  focus.nodes = {"client2"};
  focus.highlight_event_indices = {5};
  const std::string dot = dot_of(t.records, focus);

  // Every node placed by the diagram; Graphviz only draws, straight lines.
  CHECK(contains(dot, "graph [layout=nop2, splines=line, "));
  CHECK(contains(dot, "neato -n2 -Tsvg diagram.dot"));
  CHECK_FALSE(contains(dot, "rank=same"));
  CHECK_FALSE(contains(dot, "constraint=false"));
  CHECK(contains(dot, "label=\"lease-gc-pause, seed 7\\nshowing 9 of 9 events\""));
  const PlacedDiagram d = check_geometry(dot);
  // Focus node first, then nodes by first appearance, the world last: left to right.
  CHECK(d.nodes.at("time_head").x < d.nodes.at("h0").x);
  CHECK(d.nodes.at("h0").x < d.nodes.at("h1").x);
  CHECK(d.nodes.at("h1").x < d.nodes.at("h2").x);
  CHECK(d.nodes.at("h2").x < d.nodes.at("h3").x);
  CHECK(d.nodes.at("h0").attributes.rfind("label=\"client2\"", 0) == 0);
  CHECK(d.nodes.at("h1").attributes.rfind("label=\"lock\"", 0) == 0);
  CHECK(d.nodes.at("h2").attributes.rfind("label=\"client1\"", 0) == 0);
  CHECK(d.nodes.at("h3").attributes.rfind("label=\"world\"", 0) == 0);
  // Lifelines are chains in event order (straight columns: check_geometry).
  CHECK(contains(dot, "h1 -> e0 -> e2 -> e6 -> e7 [arrowhead=none"));
  CHECK(contains(dot, "h2 -> e1 -> e3 [arrowhead=none"));
  // Message arrow and the dashed red drop; the highlighted send makes its arrow bold red.
  // Hovering over an arrow says what it carried, between whom, and its time in flight or loss.
  CHECK(contains(dot,
                 "e1 -> e2 [color=\"#0969da\", tooltip=\"Acquire: client1 → lock\\nsent 1ms, "
                 "delivered 3ms (2ms in flight)\"]"));
  CHECK(contains(dot,
                 "e5 -> e6 [style=dashed, color=\"#d1242f\", arrowhead=tee, "
                 "tooltip=\"Acquire: client2 → lock\\nsent 6ms, lost 8ms (partition)\"]"));
  CHECK(contains(dot, "e5 [pos=\""));
  CHECK(d.nodes.at("e5").x == d.nodes.at("h0").x);
  CHECK(d.nodes.at("e6").x == d.nodes.at("h1").x);
  CHECK(contains(dot, "label=\"✗ Acquire from client2 (partition)\""));
  CHECK(contains(dot,
                 "label=\"Acquire → lock\", fillcolor=\"#eef4fb\", color=\"#d1242f\", penwidth=3"));
  // Markers.
  CHECK(contains(dot, "label=\"pause gc\""));
  CHECK(contains(dot, "label=\"CRASH\""));
  CHECK(contains(dot, "label=\"partition isolate lock\", shape=hexagon"));
  CHECK(contains(dot, "label=\"VIOLATION\\nmutual-exclusion: \\\"lease\\\" held twice\""));
  // Events at one instant share a row, with the time on the axis; the violation on the world's.
  CHECK(contains(dot, "r7 [pos=\""));
  CHECK(contains(d.nodes.at("r7").attributes,
                 "shape=plaintext, style=\"\", fontcolor=\"#57606a\", label=\"9ms\""));
  CHECK(d.nodes.at("r7").x == d.nodes.at("time_head").x);
  CHECK(d.nodes.at("e7").y == d.nodes.at("r7").y);
  CHECK(d.nodes.at("e8").y == d.nodes.at("r7").y);
  CHECK(d.nodes.at("e8").x == d.nodes.at("h3").x);
  // Earlier rows are higher on the page.
  CHECK(d.nodes.at("e0").y < d.nodes.at("e1").y);
  CHECK(d.nodes.at("e4").y < d.nodes.at("e5").y);
  CHECK_FALSE(contains(dot, "earlier event"));
  // Graphviz draws it, the arrows' tooltips as their links' titles.
  const std::string svg = render_svg(dot);
  CHECK(contains(svg, "<svg width="));
  CHECK(contains(svg, "xlink:title=\"Acquire: client1 → lock&#10;sent 1ms, delivered 3ms"));
}

TEST_CASE("the diagram shows only the window around the violation and elides the rest") {
  TraceBuilder t;
  for (int i = 0; i < 500; ++i) t.add(i, TraceKind::kTimer, i % 2 ? "a" : "b");
  t.add(500, TraceKind::kViolation, "").detail = "broken";  // index 500
  for (int i = 0; i < 99; ++i) t.add(501 + i, TraceKind::kTimer, "a");

  DiagramFocus focus;
  focus.violation_at_ns = 500 * kMs;
  focus.max_events = 50;
  focus.highlight_event_indices = {3};  // far outside the window, still drawn, in the budget

  const auto chosen = select_diagram_events(t.records, focus);
  REQUIRE(chosen.size() == 50);
  CHECK(chosen[0] == 3);
  CHECK(chosen[1] == 461);  // 39 before the violation, the violation, 9 after
  CHECK(chosen.back() == 509);

  const std::string dot = dot_of(t.records, focus);
  CHECK(contains(dot, "showing 50 of 600 events"));
  CHECK(contains(dot, "e3 ["));
  CHECK_FALSE(contains(dot, "e4 ["));
  CHECK_FALSE(contains(dot, "e460 ["));
  CHECK(contains(dot, "e461 ["));
  CHECK_FALSE(contains(dot, "e510 ["));
  // Per lifeline: a (odd indices, and everything after the violation) shows 3 and 461..509,
  // b (even indices up to 498) shows 462..498.
  CHECK(contains(dot, "label=\"… 1 earlier event\""));     // a: index 1
  CHECK(contains(dot, "label=\"… 228 events\""));          // a: 5, 7, ..., 459
  CHECK(contains(dot, "label=\"… 90 later events\""));     // a: 510..599
  CHECK(contains(dot, "label=\"… 231 earlier events\""));  // b: 0, 2, ..., 460
}

TEST_CASE("highlights far from the window take at most a third of max_events, nearest first") {
  // A linearizability finding highlights every completed operation of its clients: hundreds over
  // a long run. The diagram must stay within max_events whatever their number.
  TraceBuilder t;
  std::vector<uint64_t> every_other;
  for (int i = 0; i < 2000; ++i) {
    t.add(i, TraceKind::kTimer, "a");
    if (i % 2 == 0) every_other.push_back(i);
  }
  DiagramFocus focus;
  focus.violation_at_ns = 1500 * kMs;
  focus.max_events = 300;
  focus.highlight_event_indices = every_other;

  const auto chosen = select_diagram_events(t.records, focus);
  CHECK(chosen.size() == 300);
  // The window: 200 events, 160 up to the violation and 40 after it, 1341..1540. The 100
  // highlights nearest the violation in time outside it: 79 after (1542..1698), 21 before
  // (1340 back to 1300).
  CHECK(chosen.front() == 1300);
  CHECK(chosen[21] == 1341);
  CHECK(chosen[220] == 1540);
  CHECK(chosen[221] == 1542);
  CHECK(chosen.back() == 1698);
  const std::string dot = dot_of(t.records, focus);
  CHECK(contains(dot, "showing 300 of 2000 events"));
}

TEST_CASE("a violation recorded when the run ends is drawn at the time it names") {
  TraceBuilder t;
  for (int i = 0; i < 10; ++i) t.add(i, TraceKind::kTimer, "a");
  t.add(20, TraceKind::kViolation, "").detail = "linearizable: no order";  // e10, at the end
  DiagramFocus focus;
  focus.violation_at_ns = 5 * kMs;
  focus.violations = {{.at_ns = 5 * kMs, .trace_index = 10}};
  const std::string dot = dot_of(t.records, focus);
  const PlacedDiagram d = check_geometry(dot);
  CHECK(contains(d.nodes.at("r5").attributes, "label=\"5ms\""));
  CHECK(d.nodes.at("e5").y == d.nodes.at("r5").y);
  CHECK(d.nodes.at("e10").y == d.nodes.at("r5").y);
  CHECK(d.nodes.at("e4").y < d.nodes.at("e10").y);
  CHECK(d.nodes.at("e10").y < d.nodes.at("e6").y);
  CHECK_FALSE(contains(dot, "label=\"20ms\""));

  SUBCASE("and is kept when the window is far smaller than the run") {
    focus.max_events = 4;
    const auto chosen = select_diagram_events(t.records, focus);
    CHECK(chosen == std::vector<size_t>{3, 4, 5, 10});
  }
}

TEST_CASE("without a violation the diagram shows the end of the run") {
  TraceBuilder t;
  for (int i = 0; i < 20; ++i) t.add(i, TraceKind::kTimer, "a");
  DiagramFocus focus;
  focus.max_events = 5;
  const auto chosen = select_diagram_events(t.records, focus);
  CHECK(chosen == std::vector<size_t>{15, 16, 17, 18, 19});
  const std::string dot = dot_of(t.records, focus);
  CHECK(contains(dot, "label=\"… 15 earlier events\""));
  CHECK(contains(dot, "h0 -> m0_0 -> e15 -> e16 -> e17 -> e18 -> e19 [arrowhead=none"));
  check_geometry(dot);
}

TEST_CASE("DOT strings are escaped") {
  CHECK(dot_quote("a \"b\" \\ c\nd\te") == "\"a \\\"b\\\" \\\\ c\\nde\"");
}

TEST_CASE(
    "pauses, down time and partitions are bars along their lifelines, labelled with their "
    "length") {
  TraceBuilder t;
  t.add(0, TraceKind::kStart, "n1");                          // e0
  t.add(0, TraceKind::kStart, "n2");                          // e1
  t.add(0, TraceKind::kStart, "n3");                          // e2
  t.add(1000, TraceKind::kPause, "n1");                       // e3
  t.add(2000, TraceKind::kCrash, "n2");                       // e4
  TraceRecord& cut = t.add(3000, TraceKind::kPartition, "");  // e5
  cut.detail = "split {n1} | {n2,n3}";
  cut.data = {{"id", 1}, {"mode", "split"}};
  t.add(3500, TraceKind::kSend, "n3", "n2", 1, "Ping");                  // e6
  t.add(3600, TraceKind::kDrop, "n2", "n3", 1, "Ping").detail = "down";  // e7
  t.add(4100, TraceKind::kRestart, "n2");                                // e8
  t.add(7000, TraceKind::kHeal, "").data = {{"id", 1}};                  // e9
  t.add(16000, TraceKind::kResume, "n1");                                // e10
  t.add(17000, TraceKind::kNote, "n3").detail = "done";                  // e11

  const std::string dot = dot_of(t.records, DiagramFocus{});
  check_geometry(dot);
  // n1: a thin lifeline to the pause, an orange bar from the pause to the resume.
  CHECK(contains(dot, "h0 -> e0 -> e3 [arrowhead=none, color=\"#afb8c1\"];"));
  CHECK(contains(dot,
                 "e3 -> e10 [arrowhead=none, color=\"#f59f00\", penwidth=7, "
                 "fontcolor=\"#9a4f00\", xlabel=\"paused 15s\"];"));
  // n2: down from the crash to the restart, through the drop of what reached it meanwhile; the
  // label on its first stretch with room beside it (rows 2 to 5).
  CHECK(contains(dot, "h1 -> e1 -> e4 [arrowhead=none, color=\"#afb8c1\"];"));
  CHECK(contains(dot,
                 "e4 -> e7 [arrowhead=none, color=\"#57606a\", penwidth=7, "
                 "fontcolor=\"#24292f\", xlabel=\"down 2.1s\"];"));
  CHECK(contains(dot,
                 "e7 -> e8 [arrowhead=none, color=\"#57606a\", penwidth=7, "
                 "fontcolor=\"#24292f\"];"));
  CHECK(contains(dot, "h2 -> e2 -> e6 -> e11 [arrowhead=none, color=\"#afb8c1\"];"));
  // The world: the partition's bar names its sides.
  CHECK(contains(dot,
                 "e5 -> e9 [arrowhead=none, color=\"#ff8182\", penwidth=7, "
                 "fontcolor=\"#a40e26\", xlabel=\"partition split {n1} | {n2,n3}  4s\"];"));
  // Nothing runs past the end: no tails.
  CHECK_FALSE(contains(dot, "shape=point"));
}

TEST_CASE("a span reaching past either end of the window is drawn to the top or the bottom") {
  TraceBuilder t;
  t.add(0, TraceKind::kPause, "n1");                                  // e0
  t.add(0, TraceKind::kCrash, "n4");                                  // e1: never restarted
  for (int i = 1; i <= 50; ++i) t.add(i, TraceKind::kTimer, "n2");    // e2..e51
  t.add(51, TraceKind::kResume, "n1");                                // e52
  t.add(52, TraceKind::kCrash, "n3");                                 // e53
  t.add(53, TraceKind::kViolation, "").detail = "broken";             // e54
  for (int i = 54; i <= 100; ++i) t.add(i, TraceKind::kTimer, "n2");  // e55..e101
  t.add(103, TraceKind::kRestart, "n3");                              // e102
  DiagramFocus focus;
  focus.violation_at_ns = 53 * kMs;
  focus.max_events = 10;
  const auto chosen = select_diagram_events(t.records, focus);
  REQUIRE(chosen.front() == 47);
  REQUIRE(chosen.back() == 56);

  const std::string dot = dot_of(t.records, focus);
  const PlacedDiagram d = check_geometry(dot);
  for (int l = 0; l < 4; ++l) {
    CHECK(d.nodes.at("h" + std::to_string(l)).x < d.nodes.at("h" + std::to_string(l + 1)).x);
  }
  // The pause began among the elided events at the top: its bar starts at their marker.
  CHECK(d.nodes.at("h1").attributes.rfind("label=\"n1\"", 0) == 0);
  CHECK(d.nodes.at("m1_0").attributes ==
        "shape=plaintext, style=\"\", fontcolor=\"#57606a\", label=\"… 1 earlier event\"");
  CHECK(d.nodes.at("m1_0").x == d.nodes.at("h1").x);
  CHECK(contains(dot, "h1 -> m1_0 [arrowhead=none, color=\"#afb8c1\"];"));
  CHECK(contains(dot,
                 "m1_0 -> e52 [arrowhead=none, color=\"#f59f00\", penwidth=7, "
                 "fontcolor=\"#9a4f00\", xlabel=\"paused 51ms\\nsince 0s\"];"));
  // n3's restart is past the window: its bar runs to the marker of the later events.
  CHECK(d.nodes.at("h2").attributes.rfind("label=\"n3\"", 0) == 0);
  CHECK(contains(dot, "label=\"… 1 later event\""));
  CHECK(contains(dot, "h2 -> e53 [arrowhead=none, color=\"#afb8c1\"];"));
  CHECK(contains(dot,
                 "e53 -> m2_102 [arrowhead=none, color=\"#57606a\", penwidth=7, "
                 "fontcolor=\"#24292f\", xlabel=\"down 51ms\\nuntil 103ms\"];"));
  // n4 has no event in the window but is down throughout it: its lifeline is drawn, its bar runs
  // from its elided events at the top to a tail at the bottom, measured to the last instant drawn.
  CHECK(d.nodes.at("h3").attributes.rfind("label=\"n4\"", 0) == 0);
  CHECK(contains(d.nodes.at("t3").attributes, "shape=point"));
  CHECK(d.nodes.at("t3").x == d.nodes.at("h3").x);
  // The tail is at the bottom: below the last row.
  CHECK(d.nodes.at("t3").y > d.nodes.at("e56").y);
  CHECK(contains(dot,
                 "m3_1 -> t3 [arrowhead=none, color=\"#57606a\", penwidth=7, "
                 "fontcolor=\"#24292f\", xlabel=\"down 55ms, not restarted\\nsince 0s\"];"));
  // The world holds only the violation: nothing drawn on it.
  CHECK(contains(dot, "h4 -> e54 [arrowhead=none, color=\"#afb8c1\"];"));
}

TEST_CASE("a span that begins at an elided record among the drawn instants starts at a cap there") {
  // A highlight far before the window and a violation recorded at the end of the run but drawn
  // at the time it names: the partition began between them, out of the window, and is still in
  // force at the violation.
  TraceBuilder t;
  for (int i = 0; i < 20; ++i) t.add(i, TraceKind::kNote, "n1").detail = "step";   // e0..e19
  t.add(20, TraceKind::kPartition, "").detail = "isolate {n1}";                    // e20
  for (int i = 21; i < 40; ++i) t.add(i, TraceKind::kNote, "n1").detail = "step";  // e21..e39
  t.add(40, TraceKind::kHeal, "");                                                 // e40
  t.add(60, TraceKind::kViolation, "").detail = "broken";                          // e41
  DiagramFocus focus;
  focus.violation_at_ns = 30 * kMs;
  focus.violations = {{.at_ns = 30 * kMs, .trace_index = 41}};
  focus.highlight_event_indices = {5};
  focus.max_events = 6;
  const auto chosen = select_diagram_events(t.records, focus);
  REQUIRE(chosen == std::vector<size_t>{5, 27, 28, 29, 30, 41});

  const std::string dot = dot_of(t.records, focus);
  const PlacedDiagram d = check_geometry(dot);
  CHECK(contains(d.nodes.at("h1").attributes, "label=\"world\""));
  // The cap is a point in a row of its own time, between the highlight and the window.
  CHECK(d.nodes.at("c20").attributes ==
        "shape=point, width=0.08, color=\"#57606a\", tooltip=\"#20 partition at 20ms\"");
  CHECK(d.nodes.at("c20").x == d.nodes.at("h1").x);
  std::string cap_row;
  for (const auto& entry : d.nodes) {
    if (entry.first[0] == 'r' && entry.second.y == d.nodes.at("c20").y) cap_row = entry.first;
  }
  REQUIRE_FALSE(cap_row.empty());
  CHECK(contains(d.nodes.at(cap_row).attributes, "label=\"20ms\""));
  CHECK(d.nodes.at("e5").y < d.nodes.at("c20").y);
  CHECK(d.nodes.at("c20").y < d.nodes.at("e27").y);
  CHECK(contains(dot, "h1 -> m1_20 -> c20 [arrowhead=none, color=\"#afb8c1\"];"));
  // The heal is past the last instant drawn: the bar runs through the violation to the bottom.
  CHECK(contains(dot,
                 "c20 -> e41 [arrowhead=none, color=\"#ff8182\", penwidth=7, "
                 "fontcolor=\"#a40e26\", xlabel=\"partition isolate {n1}  20ms\\nsince "
                 "20ms\\nuntil 40ms\"];"));
  CHECK(contains(dot, "e41 -> t1 [arrowhead=none, color=\"#ff8182\""));
}

TEST_CASE("a span with no room beside its bar says its length in its start box") {
  TraceBuilder t;
  t.add(0, TraceKind::kStart, "n1");                            // e0
  t.add(1, TraceKind::kPartition, "").detail = "isolate {n1}";  // e1
  t.add(2, TraceKind::kPartition, "").detail = "isolate {n2}";  // e2: replaces e1
  t.add(3, TraceKind::kHeal, "");                               // e3
  t.add(4, TraceKind::kCrash, "n1");                            // e4: the last instant
  const std::string dot = dot_of(t.records, DiagramFocus{});
  const PlacedDiagram d = check_geometry(dot);
  // Each partition's bar is one row long: a label beside it would overlap the next hexagon.
  CHECK(d.nodes.at("e1").attributes.rfind("label=\"partition isolate {n1}\\n1ms\", shape=hexagon",
                                          0) == 0);
  CHECK(d.nodes.at("e2").attributes.rfind("label=\"partition isolate {n2}\\n1ms\", shape=hexagon",
                                          0) == 0);
  CHECK(d.nodes.at("e1").x == d.nodes.at("h1").x);
  CHECK(contains(dot,
                 "e1 -> e2 [arrowhead=none, color=\"#ff8182\", penwidth=7, "
                 "fontcolor=\"#a40e26\"];"));
  CHECK(contains(dot,
                 "e2 -> e3 [arrowhead=none, color=\"#ff8182\", penwidth=7, "
                 "fontcolor=\"#a40e26\"];"));
  // A crash at the last instant drawn has no length to tell: its bar runs to the bottom unlabelled.
  CHECK(d.nodes.at("e4").attributes.rfind("label=\"CRASH\"", 0) == 0);
  CHECK(d.nodes.at("e4").x == d.nodes.at("h0").x);
  CHECK(contains(dot,
                 "e4 -> t0 [arrowhead=none, color=\"#57606a\", penwidth=7, "
                 "fontcolor=\"#24292f\"];"));
  CHECK_FALSE(contains(dot, "xlabel"));
}
