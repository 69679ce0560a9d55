#include "reports/trace_jsonl.hpp"

#include <sstream>

#include <doctest/doctest.h>

#include "sim/random.hpp"

using namespace faultline;
using namespace faultline::reports;

namespace {

std::vector<sim::TraceEvent> sample_events() {
  std::vector<sim::TraceEvent> events(3);
  events[0].index = 0;
  events[0].at = sim::TrueTime::from_ns(1500000);
  events[0].kind = sim::TraceKind::kSend;
  events[0].node = 0;
  events[0].local = sim::LocalTime::from_ns(1500000);
  events[0].wall = sim::LocalTime::from_ns(1500100);
  events[0].lamport = 1;
  events[0].peer = 1;
  events[0].message_id = 7;
  events[0].call_id = 3;
  events[0].data = {{"type", "Acquire"}, {"ttl_ms", 100}};

  events[1].index = 1;
  events[1].at = sim::TrueTime::from_ns(2000000);
  events[1].kind = sim::TraceKind::kPartition;
  events[1].detail = "isolate \"lock\"\n";

  events[2].index = 2;
  events[2].at = sim::TrueTime::from_ns(2500000);
  events[2].kind = sim::TraceKind::kDrop;
  events[2].node = 1;
  events[2].local = sim::LocalTime::from_ns(2400000);
  events[2].wall = sim::LocalTime::from_ns(-5);
  events[2].peer = 0;
  events[2].message_id = 7;
  events[2].detail = "partition";
  return events;
}

const std::vector<std::string> kNames = {"client1", "lock"};

}  // namespace

TEST_CASE("the JSONL writer writes compact lines with a fixed key order and omits empty keys") {
  std::ostringstream out;
  JsonlTraceWriter writer(out, &kNames);
  for (const auto& e : sample_events()) writer.record(e);
  const std::string expected =
      "{\"i\":0,\"t\":1500000,\"kind\":\"send\",\"node\":\"client1\",\"local\":1500000,"
      "\"wall\":1500100,\"lamport\":1,\"peer\":\"lock\",\"msg\":7,\"call\":3,"
      "\"data\":{\"ttl_ms\":100,\"type\":\"Acquire\"}}\n"
      "{\"i\":1,\"t\":2000000,\"kind\":\"partition\",\"detail\":\"isolate \\\"lock\\\"\\n\"}\n"
      "{\"i\":2,\"t\":2500000,\"kind\":\"drop\",\"node\":\"lock\",\"local\":2400000,"
      "\"wall\":-5,\"peer\":\"client1\",\"msg\":7,\"detail\":\"partition\"}\n";
  CHECK(out.str() == expected);
  CHECK(writer.lines() == 3);
  // The hash covers exactly the bytes written.
  CHECK(writer.hash() == fnv1a(expected));
  CHECK(writer.hash_hex() == format_trace_hash(fnv1a(expected)));
  CHECK(writer.hash_hex().size() == 16);
  CHECK(format_trace_hash(0xabc) == "0000000000000abc");
}

TEST_CASE("the JSONL writer names unknown node ids instead of failing") {
  std::ostringstream out;
  JsonlTraceWriter writer(out, &kNames);
  sim::TraceEvent e;
  e.kind = sim::TraceKind::kNote;
  e.node = 9;
  writer.record(e);
  CHECK(out.str() ==
        "{\"i\":0,\"t\":0,\"kind\":\"note\",\"node\":\"#9\",\"local\":0,\"wall\":0}\n");
}

TEST_CASE("a trace read back equals the records the buffer kept") {
  std::ostringstream out;
  JsonlTraceWriter writer(out, &kNames);
  TraceBuffer buffer(&kNames);
  for (const auto& e : sample_events()) {
    writer.record(e);
    buffer.record(e);
  }
  std::istringstream in(out.str() + "\n");  // a trailing blank line is fine
  const auto records = read_trace_jsonl(in, "trace.jsonl");
  REQUIRE(records.size() == 3);
  CHECK(records == buffer.records());
  CHECK(records[0].kind == sim::TraceKind::kSend);
  CHECK(records[0].peer == "lock");
  CHECK(records[0].data["type"] == "Acquire");
  CHECK(records[1].node.empty());
  CHECK(records[1].detail == "isolate \"lock\"\n");
  CHECK(records[2].wall_ns == -5);
  // Formatting a record read back gives the same line again.
  std::string again;
  for (const auto& r : records) again += format_trace_line(r) + "\n";
  CHECK(again == out.str());
}

TEST_CASE("every trace kind round-trips through its name") {
  for (int k = 0; k <= static_cast<int>(sim::TraceKind::kViolation); ++k) {
    sim::TraceKind kind{};
    REQUIRE(parse_trace_kind(sim::to_string(static_cast<sim::TraceKind>(k)), kind));
    CHECK(static_cast<int>(kind) == k);
  }
  sim::TraceKind kind{};
  CHECK_FALSE(parse_trace_kind("explode", kind));
}

namespace {
std::string read_error(const std::string& text) {
  std::istringstream in(text);
  try {
    read_trace_jsonl(in, "run/trace.jsonl");
  } catch (const TraceFormatError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("a malformed trace line is reported on one line with file and line number") {
  const std::string good =
      "{\"i\":0,\"t\":0,\"kind\":\"start\",\"node\":\"a\",\"local\":0,\"wall\":0}\n";
  CHECK(read_error(good + "{\"i\":1,\"t\":\"soon\",\"kind\":\"heal\"}\n") ==
        "run/trace.jsonl:2: expected \"t\" to be an integer count of nanoseconds, got \"soon\"");
  CHECK(read_error(good + "\n{\"i\":1,\"t\":5,\"kind\":\"explode\"}\n") ==
        "run/trace.jsonl:3: expected \"kind\" to be one of send, deliver, drop, timer, "
        "timer-set, timer-cancel, start, crash, restart, pause, resume, partition, heal, "
        "clock-jump, clock-drift, network, config, buggify, note, operation, trigger, violation, "
        "interval, interval-end, got \"explode\"");
  CHECK(read_error("{\"i\":0,\"t\":5,\"kind\":\"heal\",\"colour\":1}") ==
        "run/trace.jsonl:1: expected one of the keys i, t, kind, node, local, wall, lamport, peer, "
        "msg, call, timer, deadline, detail, data, got \"colour\"");
  CHECK(read_error("{\"t\":5,\"kind\":\"heal\"}") ==
        "run/trace.jsonl:1: expected key \"i\" (event index), got a record without it");
  CHECK(read_error("[1,2]") == "run/trace.jsonl:1: expected a JSON object, got [1,2]");
  const std::string broken = read_error("{\"i\":0,\n");
  CHECK(broken.rfind("run/trace.jsonl:1: expected a JSON object, got invalid JSON", 0) == 0);
  CHECK(broken.find('\n') == std::string::npos);
  // A number no double holds is nlohmann's out_of_range, not a parse_error (found by the trace
  // fuzzer): still one line, never an escaping exception.
  CHECK(read_error("{\"i\":0,\"t\":117E77857,\"kind\":\"heal\"}") ==
        "run/trace.jsonl:1: expected a JSON object with numbers a double can hold, got "
        "{\"i\":0,\"t\":117E77857,\"kind\":\"heal\"}");
}

TEST_CASE("a trace line longer than the bound is an error, not a memory-filling read") {
  const std::string good =
      "{\"i\":0,\"t\":0,\"kind\":\"start\",\"node\":\"a\",\"local\":0,\"wall\":0}\n";
  CHECK(read_error(good + std::string(kMaxTraceLineBytes + 1, ' ')) ==
        "run/trace.jsonl:2: expected a line of at most 64 MiB, got a longer one");
  // At the bound, a line is read (and is blank here, so skipped).
  CHECK(read_error(good + std::string(kMaxTraceLineBytes, ' ') + "\n") == "no error");
}
