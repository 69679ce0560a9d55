// The causal slice a violation's diagram draws: exactly its causal past, routine repeats folded
// into counted rows, within a bound; and on Raft's Figure 8 the decisive events.
#include <algorithm>
#include <set>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "diagram_trace.hpp"
#include "reports/causal_slice.hpp"
#include "reports/spacetime_diagram.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

using namespace faultline;
using namespace faultline::reports;
using reports::testing::DiagramTrace;
using sim::TraceKind;

namespace {

std::set<uint64_t> indices(const std::vector<TraceRecord>& records,
                           const std::vector<size_t>& positions) {
  std::set<uint64_t> out;
  for (size_t p : positions) out.insert(records[p].index);
  return out;
}

}  // namespace

TEST_CASE("the slice is the violation's causal past: node order and message deliveries") {
  DiagramTrace t;
  t.add(0, TraceKind::kConfig, "");                      // 0: bookkeeping, never drawn
  t.add(1, TraceKind::kCrash, "d");                      // 1: d is never heard from: out
  t.add(2, TraceKind::kSend, "c", "a", 1, "Hello");      // 2: in: a hears it before telling b
  t.add(3, TraceKind::kDeliver, "a", "c", 1, "Hello");   // 3: in
  t.add(4, TraceKind::kSend, "c", "d", 2, "Other");      // 4: out: after c's send to a
  t.add(5, TraceKind::kPause, "a");                      // 5: in: a fault on a, in its past
  t.add(6, TraceKind::kSend, "a", "b", 3, "Tell");       // 6: in
  t.add(7, TraceKind::kTimer, "a");                      // 7: out: after a's send to b
  t.add(8, TraceKind::kDeliver, "b", "a", 3, "Tell");    // 8: in
  t.add(9, TraceKind::kPartition, "");                   // 9: in: a fault of the world before it
  t.add(10, TraceKind::kNote, "b").detail = "decided";   // 10: in
  t.add(11, TraceKind::kDeliver, "d", "c", 2, "Other");  // 11: out
  t.add(12, TraceKind::kNote, "b").detail = "later";     // 12: out: after the violation
  t.add(12, TraceKind::kViolation, "").detail = "boom";  // 13
  const std::vector<SliceSeed> seeds = {{13, 11 * testing::kMs, {"b"}}};
  const CausalSlice slice = causal_slice(t.records, seeds, 0);
  CHECK(indices(t.records, slice.events) == std::set<uint64_t>{2, 3, 5, 6, 8, 9, 10, 13});
  CHECK(slice.folds.empty());
  CHECK(slice.past_events == 8);
  CHECK(slice.cut_rows == 0);

  SUBCASE("the diagram draws the slice and says so") {
    DiagramFocus focus;
    focus.causal_slice = true;
    focus.violation_at_ns = 11 * testing::kMs;
    focus.violations = {{.at_ns = 11 * testing::kMs, .involved = {"b"}, .trace_index = 13}};
    focus.nodes = {"b"};
    CHECK(select_diagram_events(t.records, focus) == slice.events);
    std::ostringstream dot;
    write_spacetime_dot(dot, t.records, focus);
    CHECK(dot.str().find("showing 8 of 14 events: the causal past of the violation (8 events)") !=
          std::string::npos);
  }
}

TEST_CASE("every node fault in the past is in the slice, a fired fault site as a crash is") {
  // sim::fault_scope decides what a fault is, for the story and the slice alike.
  DiagramTrace t;
  t.add(0, TraceKind::kConfig, "");
  t.add(1, TraceKind::kBuggify, "a").detail = "skip-fsync";  // 1: in: a's own fault
  t.add(2, TraceKind::kClockJump, "a").detail = "+5s";       // 2: in
  t.add(3, TraceKind::kBuggify, "z").detail = "skip-fsync";  // 3: out: z is not in the past
  t.add(4, TraceKind::kSend, "a", "b", 1, "Tell");           // 4: in
  t.add(5, TraceKind::kDeliver, "b", "a", 1, "Tell");        // 5: in
  t.add(6, TraceKind::kViolation, "").detail = "boom";       // 6
  const CausalSlice slice = causal_slice(t.records, {{6, 6 * testing::kMs, {"b"}}}, 0);
  CHECK(indices(t.records, slice.events) == std::set<uint64_t>{1, 2, 4, 5, 6});
  CHECK(sim::fault_scope(TraceKind::kBuggify) == sim::FaultScope::kNode);
  CHECK(sim::fault_scope(TraceKind::kHeal) == sim::FaultScope::kNetwork);
  CHECK(sim::fault_scope(TraceKind::kNote) == sim::FaultScope::kNone);
}

TEST_CASE("routine repeats fold into one counted row per sender, receiver, type and outcome") {
  DiagramTrace t;
  uint64_t msg = 0;
  // Ten heartbeats a -> b identical but for a counter `n` and, from the sixth on, commit 2: the
  // first is drawn, the other nine are one row saying how the numbers moved.
  for (int i = 1; i <= 10; ++i) {
    ++msg;
    t.add(10 * i, TraceKind::kSend, "a", "b", msg).data = {{"type", "Beat"},
                                                           {"n", i},
                                                           {"commit", i > 5 ? 2 : 1},
                                                           {"entries", nlohmann::json::array()}};
    t.add(10 * i + 1, TraceKind::kDeliver, "b", "a", msg, "Beat");
  }
  // Three lost on the way: the first is drawn (a decision that never arrived may be the whole
  // lesson), the next two repeat it.
  for (int i = 0; i < 3; ++i) {
    ++msg;
    t.add(150 + 10 * i, TraceKind::kSend, "a", "b", msg, "Beat");
    t.add(151 + 10 * i, TraceKind::kDrop, "b", "a", msg, "Beat").detail = "partition";
  }
  // One that carries something is drawn, though its neighbours are heartbeats.
  ++msg;
  t.add(200, TraceKind::kSend, "a", "b", msg).data = {
      {"type", "Beat"}, {"n", 11}, {"commit", 2}, {"entries", {"x"}}};
  t.add(201, TraceKind::kDeliver, "b", "a", msg, "Beat");
  // A loss after a's last message that b received is not in b's past through a; b's record of
  // it is, drawn: the first loss seen from b's side.
  ++msg;
  t.add(300, TraceKind::kSend, "a", "b", msg, "Beat");
  t.add(301, TraceKind::kDrop, "b", "a", msg, "Beat").detail = "partition";
  t.add(400, TraceKind::kNote, "b").detail = "decided";
  const uint64_t violation = t.records.size();
  t.add(400, TraceKind::kViolation, "").detail = "boom";
  const CausalSlice slice = causal_slice(t.records, {{violation, 400 * testing::kMs, {"b"}}}, 0);

  // Drawn: the first heartbeat and its delivery, the first loss, the one with entries and its
  // delivery, the late loss, the note, the violation.
  CHECK(indices(t.records, slice.events) == std::set<uint64_t>{0, 1, 20, 21, 26, 27, 29, 30, 31});
  REQUIRE(slice.folds.size() == 2);
  const FoldedRun& beats = slice.folds[0];
  CHECK(beats.count == 9);
  CHECK(beats.members.size() == 18);
  CHECK(beats.position == 2);
  CHECK(beats.text() == "×9 Beat a→b commit 1..2 n 2..10 (repeats)");
  const FoldedRun& lost = slice.folds[1];
  CHECK(lost.count == 2);
  CHECK(lost.members.size() == 4);
  CHECK(lost.position == 22);
  CHECK(lost.text() == "×2 Beat a→b ✗ partition");
  CHECK(slice.past_events == 31);

  SUBCASE("a timer with nothing drawn after it folds; one that starts something is drawn") {
    DiagramTrace u;
    for (int i = 0; i < 4; ++i) u.add(i, TraceKind::kTimer, "a").detail = "tick";
    u.add(5, TraceKind::kTimer, "a").detail = "tick";
    u.add(5, TraceKind::kSend, "a", "b", 1, "Go");
    u.add(6, TraceKind::kDeliver, "b", "a", 1, "Go");
    u.add(7, TraceKind::kViolation, "").detail = "boom";
    const CausalSlice s = causal_slice(u.records, {{7, 7 * testing::kMs, {"b"}}}, 0);
    CHECK(indices(u.records, s.events) == std::set<uint64_t>{4, 5, 6, 7});
    REQUIRE(s.folds.size() == 1);
    CHECK(s.folds[0].text() == "×4 timer tick at a (nothing followed)");
  }
}

TEST_CASE("the slice keeps at most its bound of rows: landmarks, then the latest of each stretch") {
  DiagramTrace t;
  // b crashes and restarts; twenty distinct messages a -> b; a note and the violation on b.
  t.add(1, TraceKind::kCrash, "b");
  for (uint64_t i = 1; i <= 20; ++i) {
    t.add(2 * i, TraceKind::kSend, "a", "b", i).data = {{"type", "M" + std::to_string(i)}};
    t.add(2 * i + 1, TraceKind::kDeliver, "b", "a", i, "M" + std::to_string(i));
  }
  t.add(50, TraceKind::kCrash, "a");  // after a's last message to b, but a fault of a node in it
  t.add(60, TraceKind::kNote, "b").detail = "decided";
  t.add(61, TraceKind::kViolation, "").detail = "boom";
  const uint64_t last = t.records.size() - 1;
  const CausalSlice all = causal_slice(t.records, {{last, 61 * testing::kMs, {"b"}}}, 0);
  CHECK(all.events.size() == 44);
  const CausalSlice bounded = causal_slice(t.records, {{last, 61 * testing::kMs, {"b"}}}, 10);
  CHECK(bounded.rows == 10);
  CHECK(bounded.cut_rows == 14);
  CHECK(bounded.cut_events == 28);
  // The crashes, the note and the violation stay, and the message delivered just before the note
  // (the one it followed); of the other messages the most recent, each with its delivery.
  CHECK(indices(t.records, bounded.events) ==
        std::set<uint64_t>{0, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43});

  SUBCASE("the diagrams mark the cut") {
    DiagramFocus focus;
    focus.causal_slice = true;
    focus.max_events = 10;
    focus.violation_at_ns = 61 * testing::kMs;
    focus.violations = {{.at_ns = 61 * testing::kMs, .involved = {"b"}, .trace_index = last}};
    std::ostringstream dot;
    write_spacetime_dot(dot, t.records, focus);
    CHECK(dot.str().find("✂ 28 events of the causal past not drawn") != std::string::npos);
  }
}

TEST_CASE("figure8: the default slice shows the leaders, the faults and the overwrite") {
  const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/figure8.json";
  const run::Scenario scenario = run::parse_scenario(path, run::load_scenario_document(path));
  const run::RunOutcome outcome =
      run::run_scenario(scenario, run::RunOptions{.seed = 1, .keep_trace = true});
  const DiagramFocus focus = run::diagram_focus(outcome);
  CHECK(focus.causal_slice);
  CHECK(focus.max_events == run::kDiagramEvents);
  const DiagramSelection selection = select_diagram(outcome.trace, focus);
  CHECK(selection.rows <= run::kDiagramEvents);
  std::set<std::string> notes;
  size_t crashes = 0, restarts = 0, partitions = 0, violations = 0, overwrite = 0;
  size_t conflicting_write = 0, old_entry_replicated = 0, old_entry_committed = 0;
  for (size_t p : selection.events) {
    const TraceRecord& r = outcome.trace[p];
    if (r.kind == TraceKind::kNote) notes.insert(r.node + " " + r.detail);
    crashes += r.kind == TraceKind::kCrash;
    restarts += r.kind == TraceKind::kRestart;
    partitions += r.kind == TraceKind::kPartition;
    violations += r.kind == TraceKind::kViolation;
    // The term-12 leader's entry replacing index 6 on a follower (its AppendEntries with one
    // entry after prev_log_index 5).
    if (r.kind == TraceKind::kSend && r.node == "s5" && r.data.value("term", 0) == 12 &&
        r.data.value("prev_log_index", -1) == 5 && r.data["entries"].size() == 1)
      ++overwrite;
    if (r.kind != TraceKind::kSend) continue;
    const std::string type = r.data.value("type", "");
    // The write the term-2 leader takes alone.
    if (r.node == "client1" && r.peer == "s5" && type == "ClientRequest" &&
        r.data["command"].value("value", "") == "0.7")
      ++conflicting_write;
    // The term-9 leader's followers holding index 6 (with s2 itself, a majority of five)...
    if (r.peer == "s2" && type == "AppendReply" && r.data.value("term", 0) == 9 &&
        r.data.value("match_index", 0) == 6 && r.data.value("success", false))
      ++old_entry_replicated;
    // ... and its commit, announced to them.
    if (r.node == "s2" && type == "AppendEntries" && r.data.value("term", 0) == 9 &&
        r.data.value("leader_commit", 0) == 6)
      ++old_entry_committed;
  }
  // The paper's steps in this scenario's terms: s1 leads term 1 and leaves index 6 on s1 and s2;
  // s5 leads term 2 and takes the conflicting write; s2 leads term 9 and commits the old entry
  // (its decision is the violation's first half); s5 leads term 12 and overwrites it.
  CHECK(notes == std::set<std::string>{"s1 leader of term 1", "s5 leader of term 2",
                                       "s2 leader of term 9", "s5 leader of term 12"});
  CHECK(crashes == 5);
  CHECK(restarts == 3);
  CHECK(partitions == 3);
  CHECK(violations == 1);
  CHECK(conflicting_write >= 1);
  CHECK(old_entry_replicated >= 2);
  CHECK(old_entry_committed >= 1);
  CHECK(overwrite >= 1);
}
