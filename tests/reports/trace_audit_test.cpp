// The trace auditor: the kernel keeps its laws on every catalog run and on nemesis seeds of each
// nemesis scenario, read back from the trace file as a user would; and each law, broken in a
// trace on purpose, is caught and named (the defects it exists for among them: a timer firing at
// its old rate after a drift change, a message lost from a paused node's buffer in a crash, a
// delivery over a partition).
#include <doctest/doctest.h>

#include <sstream>

#include "reports/trace_audit.hpp"
#include "reports/trace_jsonl.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/catalog_files.hpp"

namespace faultline::reports {
namespace {

using sim::TraceKind;

// Runs `scenario` at `seed`, writes its trace as trace.jsonl would be, reads it back and audits.
TraceAuditor audit_run(const run::Scenario& scenario, uint64_t seed) {
  std::ostringstream trace;
  run::RunOptions options;
  options.seed = seed;
  options.trace_out = &trace;
  run::run_scenario(scenario, options);
  std::istringstream in(trace.str());
  TraceAuditor auditor;
  read_trace_jsonl(in, "trace.jsonl", [&](const TraceRecord& r) { auditor.add(r); });
  auditor.finish();
  return auditor;
}

std::string first_finding(const TraceAuditor& auditor) {
  if (auditor.findings().empty()) return "";
  const AuditFinding& f = auditor.findings()[0];
  return "record " + std::to_string(f.index) + " [" + f.law + "] " + f.message;
}

// A hand-built trace: a config of two nodes, a and b, drift 0, offset 0, a network of 1..5 ms.
struct TraceBuilder {
  std::vector<TraceRecord> records;
  bool duplicates = false;

  TraceBuilder() {
    TraceRecord config;
    config.kind = TraceKind::kConfig;
    config.data = {
        {"clocks",
         {{"a", {{"drift_ppm", 0}, {"offset", 0}}}, {"b", {{"drift_ppm", 0}, {"offset", 0}}}}},
        {"network",
         {{"latency", {{"shape", "uniform"}, {"min", 1000000}, {"max", 5000000}}},
          {"loss", 0.0},
          {"duplicate", 0.0},
          {"fifo", false}}}};
    records.push_back(config);
  }

  // A record at node `node` whose clocks read true time (no drift, no offset) unless given.
  TraceRecord& add(int64_t t, TraceKind kind, const std::string& node = "") {
    TraceRecord r;
    r.index = records.size();
    r.at_ns = t;
    r.kind = kind;
    r.node = node;
    r.local_ns = r.wall_ns = node.empty() ? 0 : t;
    r.lamport = node.empty() ? 0 : lamport_[node] += (kind == TraceKind::kDeliver ? 10 : 1);
    records.push_back(r);
    return records.back();
  }
  TraceRecord& message(int64_t t, TraceKind kind, const std::string& node, const std::string& peer,
                       uint64_t id) {
    TraceRecord& r = add(t, kind, node);
    r.peer = peer;
    r.message_id = id;
    return r;
  }
  void start_both() {
    add(0, TraceKind::kStart, "a");
    add(0, TraceKind::kStart, "b");
  }
  std::string audit() const { return first_finding(audit_trace(records)); }

 private:
  std::map<std::string, uint64_t> lamport_;
};

constexpr int64_t kMs = 1000000;

}  // namespace

TEST_CASE("every catalog run keeps the kernel's laws, read back from its trace file") {
  for (const auto& entry : testing::catalog_protocol_scenarios()) {
    const std::string& file = entry.first;
    const run::Scenario& scenario = entry.second;
    INFO(file);
    TraceAuditor auditor = audit_run(scenario, scenario.seed);
    CHECK(first_finding(auditor) == "");
    CHECK(auditor.counts().sends > 0);
  }
}

TEST_CASE("nemesis seeds keep the kernel's laws: partitions, pauses, crashes, clock faults") {
  uint64_t runs = 0, faults = 0;
  for (const auto& entry : testing::catalog_protocol_scenarios()) {
    const std::string& file = entry.first;
    const run::Scenario& scenario = entry.second;
    if (!scenario.nemesis) continue;
    for (uint64_t seed = 2; seed <= 4; ++seed) {
      INFO(file << " seed " << seed);
      TraceAuditor auditor = audit_run(scenario, seed);
      CHECK(first_finding(auditor) == "");
      ++runs;
      faults += auditor.counts().faults;
    }
  }
  CHECK(runs >= 30);
  CHECK(faults >= 1000);  // the nemesis ran: the laws were tried under faults
}

TEST_CASE("a timer that fires at its old rate after a drift change is caught") {
  TraceBuilder trace;
  trace.start_both();
  TraceRecord& set = trace.add(0, TraceKind::kTimerSet, "a");
  set.timer = 1;
  set.deadline_ns = 1000 * kMs;
  // At 500ms the clock slows to half speed: it reads 1s at 1.5s of true time, not at 1s.
  TraceRecord& drift = trace.add(500 * kMs, TraceKind::kClockDrift, "a");
  drift.detail = "-500000ppm";
  SUBCASE("fired at the old instant, before its deadline on the slowed clock") {
    TraceRecord& fired = trace.add(1000 * kMs, TraceKind::kTimer, "a");
    fired.timer = 1;
    fired.local_ns = fired.wall_ns = 750 * kMs;
    CHECK(trace.audit() ==
          "record 5 [timer] timer 1 of a fired at 750ms on its monotonic clock, before its "
          "deadline 1s");
  }
  SUBCASE("fired at the new instant: the law holds") {
    TraceRecord& fired = trace.add(1500 * kMs, TraceKind::kTimer, "a");
    fired.timer = 1;
    fired.local_ns = fired.wall_ns = 1000 * kMs;
    CHECK(trace.audit() == "");
  }
  SUBCASE("not fired when due") {
    trace.add(1600 * kMs, TraceKind::kNote, "b");
    trace.records.back().local_ns = trace.records.back().wall_ns = 1600 * kMs;
    CHECK(trace.audit().find("record 5 [timer] timer 1 of a (armed at record 3 for 1s on its "
                             "monotonic clock) has not fired by 1.6s") == 0);
  }
}

TEST_CASE("a wrong clock reading, and a wall clock moving without a jump, are caught") {
  TraceBuilder trace;
  trace.start_both();
  SUBCASE("monotonic") {
    trace.add(10 * kMs, TraceKind::kNote, "a").local_ns = 11 * kMs;
    CHECK(trace.audit().find("record 3 [clock] a's monotonic clock reads 11ms at 10ms") == 0);
  }
  SUBCASE("wall") {
    trace.add(10 * kMs, TraceKind::kNote, "a").wall_ns = 12 * kMs;
    CHECK(trace.audit().find("record 3 [clock] a's wall clock reads 12ms at 10ms") == 0);
  }
  SUBCASE("a jump moves the offset by what it says") {
    trace.add(10 * kMs, TraceKind::kClockJump, "a").detail = "+5s";
    trace.records.back().wall_ns = 5010 * kMs;
    trace.add(20 * kMs, TraceKind::kNote, "a").wall_ns = 5020 * kMs;
    CHECK(trace.audit() == "");
    trace.records[3].detail = "+4s";
    CHECK(trace.audit().find("record 3 [clock] a's wall clock jumps by +4s") == 0);
  }
}

TEST_CASE("a message lost from a paused node's buffer in a crash, without a drop, is caught") {
  TraceBuilder trace;
  trace.start_both();
  trace.add(1 * kMs, TraceKind::kPause, "b");
  trace.message(2 * kMs, TraceKind::kSend, "a", "b", 7);
  trace.add(10 * kMs, TraceKind::kNote, "a");  // past the latency: waiting in b's buffer
  SUBCASE("no drop record") {
    trace.add(20 * kMs, TraceKind::kCrash, "b");
    CHECK(trace.audit() ==
          "record 6 [message] message 7 from a waited in b's receive buffer and is lost in its "
          "crash without a drop record");
  }
  SUBCASE("dropped by the crash: the law holds") {
    trace.message(20 * kMs, TraceKind::kDrop, "b", "a", 7).detail = "crash";
    trace.add(20 * kMs, TraceKind::kCrash, "b");
    CHECK(trace.audit() == "");
  }
  SUBCASE("handled at the resume: the law holds") {
    trace.add(20 * kMs, TraceKind::kResume, "b");
    trace.message(20 * kMs, TraceKind::kDeliver, "b", "a", 7);
    trace.add(30 * kMs, TraceKind::kNote, "a");
    CHECK(trace.audit() == "");
  }
}

TEST_CASE("a send that never ends, and a message that ends twice or too soon, are caught") {
  TraceBuilder trace;
  trace.start_both();
  trace.message(0, TraceKind::kSend, "a", "b", 1);
  SUBCASE("never ends") {
    trace.add(6 * kMs, TraceKind::kNote, "a");
    CHECK(trace.audit().find("record 4 [message] message 1 from a to b, sent at 0s (record 3), "
                             "is neither delivered nor dropped by 6ms") == 0);
  }
  SUBCASE("in flight when the trace ends: the law holds") {
    trace.add(4 * kMs, TraceKind::kNote, "a");
    TraceAuditor auditor = audit_trace(trace.records);
    CHECK(first_finding(auditor) == "");
    CHECK(auditor.counts().in_flight == 1);
  }
  SUBCASE("delivered twice without duplication") {
    trace.message(2 * kMs, TraceKind::kDeliver, "b", "a", 1);
    trace.message(3 * kMs, TraceKind::kDeliver, "b", "a", 1);
    CHECK(trace.audit() ==
          "record 5 [message] message 1 ends again after it had ended: a message ends once, or "
          "twice when the network duplicates it");
  }
  SUBCASE("sooner than the least latency") {
    trace.message(500000, TraceKind::kDeliver, "b", "a", 1);
    CHECK(trace.audit() ==
          "record 4 [message] message 1 from a ends 500us after its send, sooner than the "
          "network's least latency 1ms");
  }
  SUBCASE("at the wrong node") {
    trace.message(2 * kMs, TraceKind::kDeliver, "a", "b", 1);
    CHECK(trace.audit() == "record 4 [message] message 1 was sent by a to b, but ends from b at a");
  }
}

TEST_CASE("a delivery over a partition in force, and a drop blamed on none, are caught") {
  TraceBuilder trace;
  trace.start_both();
  TraceRecord& cut = trace.add(0, TraceKind::kPartition);
  cut.data = {{"id", 1}, {"mode", "isolate"}, {"groups", {{"b"}}}};
  trace.message(1 * kMs, TraceKind::kSend, "a", "b", 1);
  SUBCASE("delivered across") {
    trace.message(3 * kMs, TraceKind::kDeliver, "b", "a", 1);
    CHECK(trace.audit() ==
          "record 5 [partition] message 1 is delivered over the link a -> b, which a partition "
          "in force cuts");
  }
  SUBCASE("healed first: the law holds") {
    trace.add(2 * kMs, TraceKind::kHeal).data = {{"id", 1}};
    trace.message(3 * kMs, TraceKind::kDeliver, "b", "a", 1);
    CHECK(trace.audit() == "");
  }
  SUBCASE("a one-way cut the other way leaves a -> b open") {
    trace.records[3].data = {{"id", 1}, {"mode", "one-way"}, {"groups", {{"b"}, {"a"}}}};
    trace.message(3 * kMs, TraceKind::kDrop, "b", "a", 1).detail = "partition";
    CHECK(trace.audit() ==
          "record 5 [partition] message 1 is dropped for a partition, but no partition in "
          "force cuts a -> b");
  }
}

TEST_CASE("a node acting while paused or down, and the order of records, are checked") {
  TraceBuilder trace;
  trace.start_both();
  SUBCASE("sends while paused") {
    trace.add(1 * kMs, TraceKind::kPause, "a");
    trace.message(2 * kMs, TraceKind::kSend, "a", "b", 1);
    CHECK(trace.audit() == "record 4 [node-state] a: send while it was paused");
  }
  SUBCASE("fires a timer while down") {
    trace.add(0, TraceKind::kTimerSet, "a").timer = 1;
    trace.records.back().deadline_ns = 5 * kMs;
    trace.add(1 * kMs, TraceKind::kCrash, "a");
    trace.add(5 * kMs, TraceKind::kTimer, "a").timer = 1;
    CHECK(trace.audit() ==
          "record 5 [timer] timer 1 of a fired, but it is not armed (never armed, cancelled, "
          "fired already, or armed before a crash)");
  }
  SUBCASE("time goes back") {
    trace.add(5 * kMs, TraceKind::kNote, "a");
    trace.add(4 * kMs, TraceKind::kNote, "b");
    CHECK(trace.audit() == "record 4 [order] true time goes back from 5ms to 4ms");
  }
  SUBCASE("a Lamport clock goes back") {
    trace.add(5 * kMs, TraceKind::kNote, "a").lamport = 0;
    trace.records.back().lamport = 1;
    trace.add(6 * kMs, TraceKind::kNote, "a").lamport = 2;
    trace.records[2].lamport = 3;  // b's start: unrelated
    CHECK(trace.audit() == "");
    trace.records[1].lamport = 5;  // a's start after the notes' clocks
    CHECK(trace.audit() == "record 3 [lamport] a's Lamport clock goes back from 5 to 1");
  }
}

}  // namespace faultline::reports

namespace faultline::reports {

TEST_CASE("a link's own latency, and a drop by a trigger, are judged by what the trace states") {
  TraceBuilder trace;
  trace.records[0].data["network"]["links"] = {
      {{"from", "a"},
       {"to", "b"},
       {"latency", {{"min", 1000 * kMs}, {"max", 1000 * kMs}}},
       {"loss", 0.0},
       {"duplicate", 0.0}}};
  trace.start_both();
  trace.message(0, TraceKind::kSend, "a", "b", 1);
  trace.message(0, TraceKind::kSend, "b", "a", 2);
  trace.message(3 * kMs, TraceKind::kDeliver, "a", "b", 2);  // b -> a: the world's 1..5ms
  SUBCASE("the slow link delivers at its own latency") {
    trace.message(1000 * kMs, TraceKind::kDeliver, "b", "a", 1);
    CHECK(trace.audit() == "");
  }
  SUBCASE("not at the world's") {
    trace.message(4 * kMs, TraceKind::kDeliver, "b", "a", 1);
    CHECK(trace.audit() ==
          "record 6 [message] message 1 from a ends 4ms after its send, sooner than the "
          "network's least latency 1s");
  }
  SUBCASE("a drop by a trigger needs the trigger record that fired on it") {
    TraceRecord& fired = trace.add(3 * kMs, TraceKind::kTrigger, "a");
    fired.message_id = 1;
    fired.data = {{"fault", "drop"}};
    trace.message(1000 * kMs, TraceKind::kDrop, "b", "a", 1).detail = "trigger";
    CHECK(trace.audit() == "");
    trace.records[6].data["fault"] = "crash";
    CHECK(trace.audit() ==
          "record 7 [message] message 1 is dropped by a trigger, but no trigger record with a "
          "drop names it");
  }
}

}  // namespace faultline::reports

namespace faultline::reports {

TEST_CASE("a trace whose records' data has the wrong shapes is judged, never a crash") {
  // Found by trace_fuzzer: a clock that is a number made nlohmann's value() throw.
  TraceBuilder trace;
  trace.records[0].data = {{"clocks", {{"a", 5}, {"b", {{"drift_ppm", "fast"}}}}},
                           {"network", {{"latency", 7}, {"links", "none"}}}};
  trace.start_both();
  trace.add(1 * kMs, TraceKind::kPartition).data = {{"mode", 3}, {"groups", 5}, {"id", -1}};
  trace.add(2 * kMs, TraceKind::kHeal).data = {{"id", "one"}};
  trace.add(3 * kMs, TraceKind::kTrigger, "a").data = {{"fault", 1}};
  trace.add(4 * kMs, TraceKind::kClockDrift, "a").detail = "-99999999999ppm";
  trace.add(5 * kMs, TraceKind::kNote, "a");
  TraceAuditor auditor = audit_trace(trace.records);
  CHECK(first_finding(auditor) ==
        "record 3 [partition] a partition of mode \"\" with 0 groups is not one the trace format "
        "defines");
  CHECK(auditor.counts().records == 8);
}

}  // namespace faultline::reports
