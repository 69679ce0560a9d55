// Protocol intervals in catalog runs: the lease as its holder counts it and as the server granted
// it, a Raft leader's read lease. Where the bars disagree in true time is each scenario's lesson;
// these check that the trace says so, and that the diagrams draw it.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "reports/interval_spans.hpp"
#include "reports/spacetime_diagram.hpp"
#include "reports/step_through.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/reports/diagram_geometry.hpp"

using namespace faultline;
using reports::IntervalSpan;
using reports::TraceRecord;
using sim::TraceKind;

namespace {

struct Run {
  run::Scenario scenario;
  run::RunOutcome outcome;
  std::vector<IntervalSpan> spans;
};

// The scenario in `file`, its params patched by `params` (a JSON merge patch), run at `seed`.
Run run_of(const std::string& file, uint64_t seed = 1,
           const nlohmann::json& params = nlohmann::json::object()) {
  const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/" + file;
  Run r{run::parse_scenario(path, run::load_scenario_document(path)), {}, {}};
  r.scenario.params.merge_patch(params);
  r.outcome = run::run_scenario(r.scenario, run::RunOptions{.seed = seed, .keep_trace = true});
  r.spans = reports::interval_spans(r.outcome.trace);
  return r;
}

// The `nth` interval of `node` named `label` (0: the first).
const IntervalSpan& span_of(const Run& r, const std::string& node, const std::string& label,
                            size_t nth = 0) {
  for (const IntervalSpan& span : r.spans) {
    if (span.node == node && span.label == label && nth-- == 0) return span;
  }
  FAIL("no interval " << label << " #" << nth << " of " << node);
  return r.spans.front();
}

// The first record of `kind` at `node` whose payload type is `type` (any type when empty).
const TraceRecord& first(const Run& r, TraceKind kind, const std::string& node,
                         const std::string& type = "") {
  for (const TraceRecord& rec : r.outcome.trace) {
    if (rec.kind != kind || rec.node != node) continue;
    if (!type.empty() && (!rec.data.is_object() || rec.data.value("type", "") != type)) continue;
    return rec;
  }
  FAIL("no " << sim::to_string(kind) << " " << type << " at " << node);
  return r.outcome.trace.front();
}

bool holds_at(const IntervalSpan& span, int64_t at_ns) {
  return span.start_ns <= at_ns && (span.open() || at_ns < span.end_ns);
}

}  // namespace

TEST_CASE("lease-gc-pause: the paused holder's lease runs out while it sleeps, before its write") {
  const Run r = run_of("scenarios/locks/lease-gc-pause.json");
  const IntervalSpan& lease = span_of(r, "client1", "lease");
  const int64_t paused = first(r, TraceKind::kPause, "client1").at_ns;
  const int64_t resumed = first(r, TraceKind::kResume, "client1").at_ns;
  // Its 10s lease, counted from its request on its own clock, ends in true time during the 15s
  // pause: recorded then, not when the node wakes.
  CHECK(lease.why == "deadline");
  CHECK(paused < lease.end_ns);
  CHECK(lease.end_ns < resumed);
  CHECK(lease.until_ns < 10'050'000'000);
  // The server's grant to client2 begins after it, and before client1, awake, writes: client1
  // writes outside its lease, while client2 holds the lock.
  const IntervalSpan& grant = span_of(r, "lock", "lease to client2");
  const IntervalSpan& client2 = span_of(r, "client2", "lease");
  const int64_t write = first(r, TraceKind::kSend, "client1", "Write").at_ns;
  CHECK(lease.end_ns <= grant.start_ns);
  CHECK(grant.start_ns < write);
  CHECK(resumed <= write);
  CHECK(client2.start_ns < write);
  // And the server's first grant ended when its clock passed client1's deadline.
  CHECK(span_of(r, "lock", "lease to client1").why == "deadline");
}

TEST_CASE("lease-clock-jump: the server's grant ends at its jump while the holder's runs on") {
  const Run r = run_of("scenarios/locks/lease-clock-jump.json");
  const IntervalSpan& granted = span_of(r, "lock", "lease to client1");
  const IntervalSpan& believed = span_of(r, "client1", "lease");
  const int64_t jump = first(r, TraceKind::kClockJump, "lock").at_ns;
  CHECK(granted.wall);  // measured on the wall clock, as Redis does
  CHECK(!believed.wall);
  CHECK(granted.why == "deadline");
  CHECK(granted.end_ns == jump);
  // client2's grant begins while client1 still believes it holds the lease: the overlap.
  const IntervalSpan& second = span_of(r, "lock", "lease to client2");
  CHECK(jump < second.start_ns);
  CHECK(holds_at(believed, second.start_ns));
}

TEST_CASE(
    "lease-restart-unpersisted: the server's crash ends its grant; the holder's lease runs on") {
  const Run r = run_of("scenarios/locks/lease-restart-unpersisted.json");
  const IntervalSpan& granted = span_of(r, "lock", "lease to client1");
  const TraceRecord& crash = first(r, TraceKind::kCrash, "lock");
  CHECK(granted.why == "crash");
  CHECK(granted.end_ns == crash.at_ns);
  CHECK(r.outcome.trace[granted.end].index == crash.index + 1);
  const IntervalSpan& second = span_of(r, "lock", "lease to client2");
  CHECK(holds_at(span_of(r, "client1", "lease"), second.start_ns));
}

TEST_CASE("a persistent lease server that restarts holds the grant it reloads until its deadline") {
  // lease-restart-unpersisted with its server's leases on disk, as by default.
  const Run r = run_of("scenarios/locks/lease-restart-unpersisted.json", 1, {{"persist", true}});
  const IntervalSpan& before = span_of(r, "lock", "lease to client1");
  const IntervalSpan& reloaded = span_of(r, "lock", "lease to client1", 1);
  const TraceRecord& restart = first(r, TraceKind::kRestart, "lock");
  CHECK(before.why == "crash");
  // The restart reads the grant back and holds it again, to the same deadline on its clock.
  CHECK(reloaded.start_ns == restart.at_ns);
  CHECK(reloaded.until_ns == before.until_ns);
  CHECK(reloaded.why == "ended");  // client1's release, within its lease
  // client2 is granted the lock only after it: token 2, no violation.
  const IntervalSpan& second = span_of(r, "lock", "lease to client2");
  CHECK(reloaded.end_ns <= second.start_ns);
  CHECK(r.outcome.violations.empty());
}

// The first interval of `node` whose label starts with `prefix` ("session ", "lease ").
const IntervalSpan& first_span(const Run& r, const std::string& node, const std::string& prefix) {
  for (const IntervalSpan& span : r.spans) {
    if (span.node == node && span.label.rfind(prefix, 0) == 0) return span;
  }
  FAIL("no interval " << prefix << "... of " << node);
  return r.spans.front();
}

// The first write client1 sends to the storage after `after_ns`.
int64_t write_after(const Run& r, int64_t after_ns) {
  for (const TraceRecord& rec : r.outcome.trace) {
    if (rec.kind == TraceKind::kSend && rec.node == "client1" && rec.at_ns > after_ns &&
        rec.data.is_object() && rec.data.value("type", "") == "Write") {
      return rec.at_ns;
    }
  }
  FAIL("client1 sends no write after " << after_ns);
  return 0;
}

TEST_CASE("zk-session-expiry-pause: the paused client's own view of its session runs out too") {
  const Run r = run_of("scenarios/locks/zk-session-expiry-pause.json");
  const IntervalSpan& mine = first_span(r, "client1", "session ");
  const IntervalSpan& server = span_of(r, "zk", mine.label);  // the same session, by its id
  const int64_t paused = first(r, TraceKind::kPause, "client1").at_ns;
  const int64_t resumed = first(r, TraceKind::kResume, "client1").at_ns;
  // Both clocks count 2 s from the last live pong: the server's bar ends while client1 sleeps,
  // and so does client1's own; renewals kept each one bar.
  CHECK(server.why == "deadline");
  CHECK(mine.why == "deadline");
  CHECK(mine.moves >= 1);
  CHECK(paused < server.end_ns);
  CHECK(paused < mine.end_ns);
  CHECK(mine.end_ns < resumed);
  // client1 writes after waking, outside what even its own clock says its session was.
  CHECK(mine.end_ns < write_after(r, resumed - 1));
}

TEST_CASE("etcd-lease-pause: the leader's lease and the paused client's own both lapse") {
  const Run r = run_of("scenarios/locks/etcd-lease-pause.json");
  const IntervalSpan& mine = first_span(r, "client1", "lease ");
  const int64_t paused = first(r, TraceKind::kPause, "client1").at_ns;
  const int64_t resumed = first(r, TraceKind::kResume, "client1").at_ns;
  CHECK(mine.why == "deadline");  // a TTL from the grant: no keepalive before the pause
  CHECK(paused < mine.end_ns);
  CHECK(mine.end_ns < resumed);
  // The leader's bar for the same lease ends at its own deadline or at the revoke it applies,
  // in the pause too.
  const IntervalSpan* leader = nullptr;
  for (const IntervalSpan& span : r.spans) {
    if (span.label == mine.label && span.node != "client1" && span.start_ns < mine.end_ns) {
      leader = &span;
    }
  }
  REQUIRE(leader != nullptr);
  CHECK(!leader->open());
  CHECK(paused < leader->end_ns);
  CHECK(leader->end_ns < resumed);
  CHECK(mine.end_ns < write_after(r, resumed - 1));
}

TEST_CASE("lease-read-nemesis seed 83: the old leader's lease still holds at the stale read") {
  const Run r = run_of("scenarios/raft/lease-read-nemesis.json", 83);
  REQUIRE(!r.outcome.violations.empty());
  // The linearizability finding names the client of the read that fits no order last.
  REQUIRE(!r.outcome.violations.front().involved.empty());
  const std::string reader = r.outcome.violations.front().involved.back();
  // Every lease bar is a handful of records: one per lease, not one per heartbeat round.
  size_t records = 0, leases = 0;
  for (const TraceRecord& rec : r.outcome.trace) {
    records += sim::is_interval(rec.kind);
  }
  for (const IntervalSpan& span : r.spans) leases += span.label == "read lease";
  CHECK(leases > 0);
  // The stale read: the last reply a server sent that reader before the violation, from a
  // lease, while another server led a later term. The server that answered still held its lease.
  const TraceRecord* stale = nullptr;
  for (const TraceRecord& rec : r.outcome.trace) {
    if (rec.kind == TraceKind::kSend && rec.peer == reader && rec.data.is_object() &&
        rec.at_ns <= r.outcome.violations.front().at_ns) {
      stale = &rec;
    }
  }
  REQUIRE(stale != nullptr);
  bool answered_within_lease = false;
  for (const IntervalSpan& span : r.spans) {
    if (span.node == stale->node && span.label == "read lease" && holds_at(span, stale->at_ns)) {
      answered_within_lease = true;
    }
  }
  CHECK(answered_within_lease);
  MESSAGE("interval records: " << records << " of " << r.outcome.trace.size() << ", leases "
                               << leases);
}

TEST_CASE("the diagram draws a lease as a thin violet bar beside the lifeline, with its label") {
  const Run r = run_of("scenarios/locks/lease-clock-jump.json");
  std::ostringstream dot;
  reports::write_spacetime_dot(dot, r.outcome.trace, run::diagram_focus(r.outcome));
  reports::testing::check_geometry(dot.str());
  const std::string text = dot.str();
  // The server's grant, on its wall clock: dashed; the holder's, on its monotonic clock: solid.
  CHECK(text.find("[arrowhead=none, color=\"#8250df\", penwidth=3, style=dashed") !=
        std::string::npos);
  CHECK(text.find("[arrowhead=none, color=\"#8250df\", penwidth=3, fontcolor") !=
        std::string::npos);
  CHECK(text.find("label=\"lease until") != std::string::npos);
  CHECK(text.find("(its wall clock)") != std::string::npos);
  CHECK(text.find("its clock passed the deadline") != std::string::npos);  // a tooltip
  const std::string mermaid = run::mermaid_diagram(r.scenario, r.outcome);
  CHECK(mermaid.find("Note right of") != std::string::npos);
  CHECK(mermaid.find("lease to client1 ends at") != std::string::npos);
}

TEST_CASE("the step-through says what a node holds and how long it has left on its clock") {
  const Run r = run_of("scenarios/locks/lease-gc-pause.json");
  const nlohmann::json data =
      reports::step_through_data(r.outcome.trace, r.outcome.violations, r.outcome.story);
  bool client1_holds = false;
  for (const nlohmann::json& event : data["events"]) {
    if (!event.contains("nodes") || !event["nodes"].contains("client1")) continue;
    const nlohmann::json& state = event["nodes"]["client1"];
    if (state.contains("holds") && state["holds"].is_string()) {
      const std::string holds = state["holds"].get<std::string>();
      client1_holds |=
          holds.rfind("lease, ", 0) == 0 && holds.find(" left (its clock)") != std::string::npos;
    }
  }
  CHECK(client1_holds);
}
