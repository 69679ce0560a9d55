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

TEST_CASE("a message's label is its type and the fields that tell the story") {
  CHECK(message_label({{"type", "AppendEntries"},
                       {"term", 3},
                       {"prev_log_index", 4},
                       {"entries", {1, 2}},
                       {"meta", {{"x", 1}}}}) ==
        "AppendEntries entries=[2] prev_log_index=4 term=3");
  CHECK(message_label({{"type", "Denied"}, {"retry_after_ns", 1955174964}}) ==
        "Denied retry_after=1.955174964s");
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
  focus.violations = {{10, 10 * kMs}};
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
        "  Note over P2: 4ms pause\n"
        "  Note over P1: 5ms timer ×2\n"
        "  Note over P0,P2: 7ms partition isolate {lock}\n"
        "  P0-xP1: Acquire ✗ partition\n"
        "  rect rgb(255, 232, 232)\n"
        "  P1-)P0: Granted\n"
        "  end\n"
        "  rect rgb(255, 196, 196)\n"
        "  Note over P0,P1: 10ms VIOLATION mutual-exclusion: held twice#59; #35;1\n"
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

TEST_CASE("Mermaid text escapes what would end or change a statement") {
  CHECK(mermaid_text("a;b#c<d>e%f\ng\x01") == "a#59;b#35;c#60;d#62;e#37;f<br>g");
}
