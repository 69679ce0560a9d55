// Protocol intervals (Context::hold_interval): recorded when they open, when their deadline
// moves and when they end; the end at the true time the node's clock passes the deadline, even
// while the node is paused, moved by drift changes and wall-clock jumps, and at a crash. They
// are observation only: a run takes the same course with them.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// A node that, booted at true 0, holds "lease" until its clock reads `until_ms`.
NodeFactory lease_holder(int64_t until_ms, IntervalClock clock = IntervalClock::kMonotonic) {
  return scripted(Script{[until_ms, clock](Context& ctx, int64_t&) {
    ctx.hold_interval("lease", LocalTime::from_ns(until_ms * 1'000'000), clock);
  }});
}

std::vector<TraceEvent> interval_records(const RecordingSink& sink) {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : sink.events) {
    if (is_interval(e.kind)) out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE("an interval ends at the true time its node's clock passes the deadline") {
  RecordingSink sink;
  World world(WorldOptions{}, seeded(1));
  world.add_node("n", lease_holder(100));
  world.set_trace(&sink);
  world.run_until(at_ms(500));
  const std::vector<TraceEvent> records = interval_records(sink);
  REQUIRE(records.size() == 2);
  CHECK(records[0].kind == TraceKind::kInterval);
  CHECK(records[0].detail == "lease");
  CHECK(records[0].data["until"] == 100'000'000);
  CHECK(records[0].data["clock"] == "monotonic");
  CHECK(records[1].kind == TraceKind::kIntervalEnd);
  CHECK(records[1].at == at_ms(100));
  CHECK(records[1].local == LocalTime::from_ns(100'000'000));
  CHECK(records[1].data["why"] == "deadline");
  // The records stay in order of time and index.
  for (size_t i = 1; i < sink.events.size(); ++i) {
    CHECK(sink.events[i - 1].at <= sink.events[i].at);
    CHECK(sink.events[i].index == sink.events[i - 1].index + 1);
  }
}

TEST_CASE("a paused node's interval ends on time, while it sleeps") {
  RecordingSink sink;
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node("n", lease_holder(100));
  world.schedule_fault(Fault{.kind = Fault::Kind::kPause, .at = at_ms(10), .node = n});
  world.schedule_fault(Fault{.kind = Fault::Kind::kResume, .at = at_ms(300), .node = n});
  world.set_trace(&sink);
  world.run_until(at_ms(500));
  const std::vector<TraceEvent> records = interval_records(sink);
  REQUIRE(records.size() == 2);
  CHECK(records[1].at == at_ms(100));
  CHECK(records[1].data["why"] == "deadline");
}

TEST_CASE("a drift change moves the end; a slow clock's lease outlasts true time") {
  RecordingSink sink;
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node("n", lease_holder(100));
  // From 50ms the clock runs at half speed: its last 50ms of lease take 100ms of true time.
  world.schedule_fault(Fault{
      .kind = Fault::Kind::kClockDrift, .at = at_ms(50), .node = n, .drift = Drift{-500'000}});
  world.set_trace(&sink);
  world.run_until(at_ms(500));
  const std::vector<TraceEvent> records = interval_records(sink);
  REQUIRE(records.size() == 2);
  CHECK(records[1].at == at_ms(150));
}

TEST_CASE("a wall-clock interval ends at a forward jump past its deadline") {
  RecordingSink sink;
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node("n", lease_holder(100, IntervalClock::kWall));
  world.schedule_fault(
      Fault{.kind = Fault::Kind::kClockJump, .at = at_ms(30), .node = n, .amount = seconds(1)});
  world.set_trace(&sink);
  world.run_until(at_ms(500));
  const std::vector<TraceEvent> records = interval_records(sink);
  REQUIRE(records.size() == 2);
  CHECK(records[0].data["clock"] == "wall");
  CHECK(records[1].at == at_ms(30));
  CHECK(records[1].data["why"] == "deadline");
  CHECK(records[1].index == records[0].index + 2);  // right after the jump's record
}

TEST_CASE("a crash ends a node's intervals; end_interval ends one early; a renewal moves it") {
  RecordingSink sink;
  World world(WorldOptions{}, seeded(1));
  world.add_node("a", lease_holder(100));
  world.add_node("b", scripted(Script{[](Context& ctx, int64_t&) {
                                        ctx.hold_interval("lease", LocalTime::from_ns(50'000'000));
                                        ctx.set_timer(milliseconds(20), 1);
                                      },
                                      nullptr,
                                      [](Context& ctx, TimerId, uint64_t tag, int64_t&) {
                                        if (tag == 1) {
                                          // Renewed twice to the same deadline: one record.
                                          ctx.hold_interval("lease", ctx.now() + milliseconds(80));
                                          ctx.hold_interval("lease",
                                                            LocalTime::from_ns(100'000'000));
                                          ctx.set_timer(milliseconds(10), 2);
                                        } else {
                                          ctx.end_interval("lease");
                                          ctx.end_interval("lease");  // none open: nothing
                                        }
                                      }}));
  world.schedule_fault(Fault{.kind = Fault::Kind::kCrash, .at = at_ms(40), .node = 0});
  world.set_trace(&sink);
  world.run_until(at_ms(500));
  std::vector<std::string> seen;
  for (const TraceEvent& e : interval_records(sink)) {
    seen.push_back(
        std::to_string(e.at.ns() / 1'000'000) + " " + world.node_name(e.node) + " " +
        std::string(to_string(e.kind)) + " " +
        (e.kind == TraceKind::kInterval ? e.data["until"].dump() : e.data["why"].dump()));
  }
  CHECK(seen == std::vector<std::string>{
                    "0 a interval 100000000",
                    "0 b interval 50000000",
                    "20 b interval 100000000",
                    "30 b interval-end \"ended\"",
                    "40 a interval-end \"crash\"",
                });
}

TEST_CASE("intervals change nothing else: the same run, record for record, without them") {
  auto run = [](bool intervals) {
    RecordingSink sink;
    World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(7));
    Script script = chatter(3);
    if (intervals) {
      auto start = script.start;
      script.start = [start](Context& ctx, int64_t& counter) {
        // Deadlines at the instants of other events (the chatter's 1ms steps) and between them.
        for (int k = 1; k <= 40; ++k) {
          ctx.hold_interval("i" + std::to_string(k), LocalTime::from_ns(k * 500'000));
        }
        if (start) start(ctx, counter);
      };
    }
    for (int i = 0; i < 3; ++i) world.add_node("n" + std::to_string(i), scripted(script));
    world.schedule_fault(Fault{.kind = Fault::Kind::kPause, .at = at_ms(3), .node = 1});
    world.schedule_fault(Fault{.kind = Fault::Kind::kResume, .at = at_ms(12), .node = 1});
    world.set_trace(&sink);
    world.run_until(at_ms(30));
    std::vector<std::string> lines;
    for (const TraceEvent& e : sink.events) {
      if (is_interval(e.kind)) continue;
      lines.push_back(std::to_string(e.at.ns()) + " " + std::string(to_string(e.kind)) + " " +
                      std::to_string(e.node) + " " + std::to_string(e.message_id));
    }
    return std::make_pair(lines, world.stats().events);
  };
  const auto without = run(false);
  const auto with = run(true);
  CHECK(with.first == without.first);
  CHECK(with.second == without.second);
}
