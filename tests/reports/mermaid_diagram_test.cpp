// The Mermaid sequence diagram: participants (the violation's nodes first), arrows where messages
// ended labelled with their send's fields, crosses for drops, faults as timed notes, timers
// collapsed, highlights and the violation on red bands, elided events counted, text escaped.
#include "reports/mermaid_diagram.hpp"

#include <sstream>

#include <doctest/doctest.h>

#include "reports/message_label.hpp"
#include "tests/reports/diagram_trace.hpp"

using namespace faultline;
using namespace faultline::reports;
using sim::TraceKind;

namespace {

using TraceBuilder = testing::DiagramTrace;
using testing::kMs;

std::string mermaid_of(const std::vector<TraceRecord>& records, const DiagramFocus& focus) {
  std::ostringstream out;
  write_mermaid_sequence(out, records, focus, "lease-gc-pause; seed 1");
  return out.str();
}

}  // namespace

TEST_CASE("a message whose type declares no label is labelled with its fields") {
  CHECK(message_label({{"type", "AppendEntries"},
                       {"term", 3},
                       {"prev_log_index", 4},
                       {"entries", {1, 2}},
                       {"meta", {{"x", 1}}}}) ==
        "AppendEntries entries=[2] prev_log_index=4 term=3");
  CHECK(message_label({{"type", "Backoff"}, {"retry_after_ns", 1955174964}}) ==
        "Backoff retry_after=1.955174964s");
  CHECK(message_label({{"type", "Vote"}, {"granted", true}, {"voter", "a-very-long-node-name"}}) ==
        "Vote granted=true voter=a-very-long-node…");
  CHECK(message_label({{"type", "Write"}, {"a", 1111111111}, {"b", 2222222222}, {"c", 3}}, 24) ==
        "Write a=1111111111 …");
  CHECK(message_label(nlohmann::json()) == "message");
}

TEST_CASE("the Mermaid diagram tells the story in GitHub's sequence diagram syntax") {
  TraceBuilder t;
  t.add(0, TraceKind::kStart, "lock");                                           // e0
  t.add(1, TraceKind::kSend, "client1", "lock", 1).data = {{"type", "Acquire"},  // e1
                                                           {"ttl_ns", 10000 * kMs}};
  t.add(3, TraceKind::kDeliver, "lock", "client1", 1).data = {{"type", "Acquire"}};  // e2
  t.add(4, TraceKind::kPause, "client1");                                            // e3
  t.add(5, TraceKind::kTimer, "lock");                                               // e4
  t.add(6, TraceKind::kTimer, "lock");                                               // e5
  t.add(7, TraceKind::kPartition, "").detail = "isolate {lock}";                     // e6
  t.add(8, TraceKind::kSend, "client2", "lock", 2).data = {{"type", "Acquire"}};     // e7
  t.add(9, TraceKind::kDrop, "lock", "client2", 2).detail = "partition";             // e8
  t.add(10, TraceKind::kSend, "lock", "client2", 3).data = {{"type", "Granted"}};    // e9
  t.add(11, TraceKind::kViolation, "").detail = "mutual-exclusion: held twice; #1";  // e10

  DiagramFocus focus;
  focus.violation_at_ns = 11 * kMs;
  focus.nodes = {"client2", "lock"};
  focus.highlight_event_indices = {9};
  focus.violations = {{.at_ns = 10 * kMs, .trace_index = 10}};
  CHECK(mermaid_of(t.records, focus) ==
        "---\n"
        "title: lease-gc-pause#59; seed 1\n"
        "---\n"
        "sequenceDiagram\n"
        "  participant P0 as client2\n"
        "  participant P1 as lock\n"
        "  participant P2 as client1\n"
        "  Note over P1: 0s start\n"
        "  P2->>P1: Acquire ttl=10s\n"
        // The pause, never resumed, is an activation bar to the bottom, measured to the last
        // instant drawn; the partition a band across every lifeline, the others nested in it.
        "  Note over P2: 4ms pause — paused 6ms, not resumed\n"
        "  activate P2\n"
        "  Note over P1: 5ms timer ×2\n"
        "  rect rgb(255, 236, 204)\n"
        "  Note over P0,P2: 7ms partition isolate {lock} — 3ms, not healed\n"
        "  P0-xP1: Acquire ✗ partition\n"
        "  rect rgb(255, 232, 232)\n"
        "  P1-)P0: Granted\n"
        "  end\n"
        "  rect rgb(255, 196, 196)\n"
        "  Note over P0,P1: 10ms VIOLATION mutual-exclusion: held twice#59; #35;1\n"
        "  end\n"
        "  Note over P2: paused 6ms, not resumed\n"
        "  deactivate P2\n"
        "  Note over P0,P2: partition isolate {lock}  3ms, not healed\n"
        "  end\n");
}

TEST_CASE("the Mermaid diagram shows the window and counts what it leaves out") {
  TraceBuilder t;
  for (int i = 0; i < 50; ++i) t.add(i, TraceKind::kNote, "n1").detail = "step";
  t.add(50, TraceKind::kViolation, "").detail = "broken";
  DiagramFocus focus;
  focus.violation_at_ns = 50 * kMs;
  focus.max_events = 10;
  const std::string text = mermaid_of(t.records, focus);
  CHECK(text.find("  Note over P0: … 41 events\n") != std::string::npos);
  CHECK(text.find("VIOLATION broken") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 4 + 1 + 1 + 9 + 3);
}

TEST_CASE(
    "the Mermaid diagram draws pauses and down time as activation bars, partitions as bands") {
  TraceBuilder t;
  t.add(0, TraceKind::kStart, "n1");                          // e0
  t.add(1000, TraceKind::kPause, "n1");                       // e1
  t.add(2000, TraceKind::kCrash, "n2");                       // e2
  TraceRecord& cut = t.add(3000, TraceKind::kPartition, "");  // e3
  cut.detail = "split {n1} | {n2,n3}";
  cut.data = {{"id", 1}, {"mode", "split"}};
  t.add(3500, TraceKind::kSend, "n3", "n2", 1, "Ping");                  // e4
  t.add(3600, TraceKind::kDrop, "n2", "n3", 1, "Ping").detail = "down";  // e5
  t.add(4100, TraceKind::kRestart, "n2");                                // e6
  t.add(7000, TraceKind::kHeal, "").data = {{"id", 1}};                  // e7
  t.add(16000, TraceKind::kResume, "n1");                                // e8
  const std::string text = mermaid_of(t.records, DiagramFocus{});
  CHECK(text.substr(text.find("sequenceDiagram")) ==
        "sequenceDiagram\n"
        "  participant P0 as n1\n"
        "  participant P1 as n2\n"
        "  participant P2 as n3\n"
        "  Note over P0: 0s start\n"
        "  Note over P0: 1s pause — paused 15s\n"
        "  activate P0\n"
        "  Note over P1: 2s CRASH — down 2.1s\n"
        "  activate P1\n"
        "  rect rgb(255, 236, 204)\n"
        "  Note over P0,P2: 3s partition split {n1} | {n2,n3} — 4s\n"
        "  P2-xP1: Ping ✗ down\n"
        "  deactivate P1\n"
        "  Note over P1: 4.1s restart — down 2.1s\n"
        "  Note over P0,P2: 7s heal — partition split {n1} | {n2,n3}  4s\n"
        "  end\n"
        "  deactivate P0\n"
        "  Note over P0: 16s resume — paused 15s\n");
}

TEST_CASE("a Mermaid span reaching past the window opens at its top or closes at its bottom") {
  TraceBuilder t;
  t.add(0, TraceKind::kPause, "n1");  // e0
  t.add(0, TraceKind::kCrash, "n4");  // e1: never restarted
  for (int i = 1; i <= 50; ++i) t.add(i, TraceKind::kNote, "n2").detail = "step";    // e2..e51
  t.add(51, TraceKind::kResume, "n1");                                               // e52
  t.add(52, TraceKind::kCrash, "n3");                                                // e53
  t.add(53, TraceKind::kViolation, "").detail = "broken";                            // e54
  for (int i = 54; i <= 100; ++i) t.add(i, TraceKind::kNote, "n2").detail = "step";  // e55..
  t.add(103, TraceKind::kRestart, "n3");                                             // e102
  DiagramFocus focus;
  focus.violation_at_ns = 53 * kMs;
  focus.max_events = 10;
  const std::string text = mermaid_of(t.records, focus);
  CHECK(text.substr(text.find("sequenceDiagram")) ==
        "sequenceDiagram\n"
        "  participant P0 as n2\n"
        "  participant P1 as n1\n"
        "  participant P2 as n3\n"
        "  participant P3 as n4\n"
        "  Note over P0,P3: … 47 events\n"
        // Begun among the elided events: opened at the top, saying since when.
        "  Note over P1: paused 51ms (since 0s)\n"
        "  activate P1\n"
        "  Note over P3: down 55ms, not restarted (since 0s)\n"
        "  activate P3\n"
        "  Note over P0: 46ms step\n"
        "  Note over P0: 47ms step\n"
        "  Note over P0: 48ms step\n"
        "  Note over P0: 49ms step\n"
        "  Note over P0: 50ms step\n"
        "  deactivate P1\n"
        "  Note over P1: 51ms resume — paused 51ms (since 0s)\n"
        "  Note over P2: 52ms CRASH — down 51ms (until 103ms)\n"
        "  activate P2\n"
        "  rect rgb(255, 196, 196)\n"
        "  Note over P0,P3: 53ms VIOLATION broken\n"
        "  end\n"
        "  Note over P0: 54ms step\n"
        "  Note over P0: 55ms step\n"
        "  Note over P0,P3: … 46 events\n"
        // Still in force where the diagram stops: closed at the bottom, in the order they began.
        "  Note over P3: down 55ms, not restarted (since 0s)\n"
        "  deactivate P3\n"
        "  Note over P2: down 51ms (until 103ms)\n"
        "  deactivate P2\n");
}

TEST_CASE("Mermaid text escapes what would end or change a statement") {
  CHECK(mermaid_text("a;b#c<d>e%f\ng\x01") == "a#59;b#35;c#60;d#62;e#37;f<br>g");
}

TEST_CASE("a Mermaid span begun between a far highlight and the window opens where it began") {
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
  const std::string text = mermaid_of(t.records, focus);
  CHECK(text.substr(text.find("sequenceDiagram")) ==
        "sequenceDiagram\n"
        "  participant P0 as n1\n"
        "  Note over P0: … 5 events\n"
        "  rect rgb(255, 232, 232)\n"
        "  Note over P0: 5ms step\n"
        "  end\n"
        "  Note over P0: … 21 events\n"
        "  rect rgb(255, 236, 204)\n"
        "  Note over P0: partition isolate {n1}  20ms (since 20ms) (until 40ms)\n"
        "  Note over P0: 27ms step\n"
        "  Note over P0: 28ms step\n"
        "  Note over P0: 29ms step\n"
        "  Note over P0: 30ms step\n"
        "  Note over P0: … 10 events\n"
        // The violation, recorded at the end of the run, is drawn at the time it names: inside the
        // partition, which heals after it.
        "  rect rgb(255, 196, 196)\n"
        "  Note over P0: 30ms VIOLATION broken\n"
        "  end\n"
        "  Note over P0: partition isolate {n1}  20ms (since 20ms) (until 40ms)\n"
        "  end\n");
}
