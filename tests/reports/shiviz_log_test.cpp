// The ShiViz log: its own parsing expression first, each node's events numbered from 1, a
// delivery after its send, world events on their own host, a violation after what it involves;
// and, over whole catalog runs, clocks that ShiViz accepts.
#include "reports/shiviz_log.hpp"

#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/reports/diagram_trace.hpp"

using namespace faultline;
using namespace faultline::reports;
using faultline::reports::testing::DiagramTrace;
using sim::TraceKind;

namespace {

struct ShivizEvent {
  std::string time, text, host;
  std::map<std::string, uint64_t> clock;
};

// Reads a log the way ShiViz does with kShivizRegex: the expression, an empty delimiter line,
// then two lines per event.
std::vector<ShivizEvent> parse(const std::string& log) {
  std::istringstream in(log);
  std::string line;
  std::getline(in, line);
  REQUIRE(line == kShivizRegex);
  std::getline(in, line);
  REQUIRE(line.empty());
  static const std::regex event_line(R"((\S+) (.*))");
  static const std::regex clock_line(R"((\S*) (\{.*\}))");
  std::vector<ShivizEvent> events;
  std::string first, second;
  while (std::getline(in, first)) {
    REQUIRE(std::getline(in, second));
    std::smatch a, b;
    REQUIRE_MESSAGE(std::regex_match(first, a, event_line), first);
    REQUIRE_MESSAGE(std::regex_match(second, b, clock_line), second);
    ShivizEvent e{a[1].str(), a[2].str(), b[1].str(), {}};
    const nlohmann::json clock = nlohmann::json::parse(b[2].str());
    for (const auto& item : clock.items()) e.clock[item.key()] = item.value().get<uint64_t>();
    events.push_back(e);
  }
  return events;
}

std::string shiviz(const std::vector<TraceRecord>& records,
                   const std::vector<Finding>& violations = {}) {
  std::ostringstream out;
  write_shiviz_log(out, records, violations);
  return out.str();
}

}  // namespace

TEST_CASE("a ShiViz log numbers each node's events and carries a message's clock to its delivery") {
  DiagramTrace t;
  t.add(0, TraceKind::kConfig, "");
  t.add(1, TraceKind::kSend, "a", "b", 1, "Ping");
  t.add(1, TraceKind::kTimerSet, "a");
  t.add(2, TraceKind::kDeliver, "b", "a", 1);
  t.add(2, TraceKind::kSend, "b", "a", 2, "Pong");
  t.add(3, TraceKind::kPartition, "").detail = "a | b";
  t.add(4, TraceKind::kDrop, "a", "b", 2).detail = "partitioned";
  t.add(5, TraceKind::kViolation, "").detail = "agreement: a and b\ndisagree";
  const Finding violation{.checker = "agreement", .involved = {"b"}, .trace_index = 7};

  CHECK(shiviz(t.records, {violation}) == std::string(kShivizRegex) + "\n\n" +
                                              "1ms send Ping to b\n"
                                              "a {\"a\":1}\n"
                                              "2ms deliver Ping from a\n"
                                              "b {\"a\":1, \"b\":1}\n"
                                              "2ms send Pong to a\n"
                                              "b {\"a\":1, \"b\":2}\n"
                                              "3ms partition a | b\n"
                                              "world {\"world\":1}\n"
                                              "4ms lost Pong from b to a: partitioned\n"
                                              "world {\"world\":2}\n"
                                              "5ms VIOLATION agreement: a and b disagree\n"
                                              "world {\"a\":1, \"b\":2, \"world\":3}\n");
}

TEST_CASE(
    "the ShiViz log of catalog runs: every host counts from 1 and a delivery follows its send") {
  for (const std::string file :
       {"scenarios/raft/figure8.json", "scenarios/twopc/coordinator-crash-blocks.json",
        "scenarios/locks/redlock-clock-jump.json"}) {
    CAPTURE(file);
    const run::Scenario s = run::load_scenario(file);
    const run::RunOutcome outcome =
        run::run_scenario(s, run::RunOptions{.seed = 1, .keep_trace = true});
    const std::vector<ShivizEvent> events = parse(shiviz(outcome.trace, outcome.violations));
    REQUIRE(!events.empty());
    std::map<std::string, uint64_t> own;                          // each host's last count
    std::map<std::string, std::map<std::string, uint64_t>> last;  // each host's last clock
    size_t deliveries = 0;
    for (const ShivizEvent& e : events) {
      CAPTURE(e.text);
      REQUIRE(e.clock.count(e.host));
      CHECK(e.clock.at(e.host) == ++own[e.host]);
      // A clock never goes back on its own host, and never counts another's events ahead of it.
      for (const auto& entry : last[e.host]) {
        const auto mine = e.clock.find(entry.first);
        CHECK((mine != e.clock.end() && mine->second >= entry.second));
      }
      for (const auto& entry : e.clock) CHECK(entry.second <= own[entry.first]);
      if (e.text.rfind("deliver ", 0) == 0) ++deliveries;
      last[e.host] = e.clock;
    }
    CHECK(deliveries > 0);
    // The log's events are the trace's but its bookkeeping.
    size_t kept = 0;
    for (const TraceRecord& r : outcome.trace) {
      kept += !sim::is_bookkeeping(r.kind);
    }
    CHECK(events.size() == kept);
  }
}
