// Periodic timers (Context::every): one TimerId fires every period until cancelled or crashed;
// the kernel re-arms it before the handler runs, with the records and the event a handler
// re-arming by hand first thing would make; in an untimed world it is one pending step.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

struct Tick {
  TrueTime at;
  TimerId id;
  uint64_t tag;
};

// A node that arms `every(period, 5)` at each start (its id kept in `armed`), and records each
// firing; it cancels the series itself at the firing numbered `cancel_at` (0: never).
NodeFactory ticker(Duration period, std::vector<Tick>& ticks, TimerId& armed,
                   int64_t cancel_at = 0) {
  return scripted(Script{
      [period, &armed](Context& ctx, int64_t&) { armed = ctx.every(period, 5); },
      nullptr,
      [&ticks, cancel_at](Context& ctx, TimerId id, uint64_t tag, int64_t& count) {
        ticks.push_back({ctx.observer_time(), id, tag});
        if (++count == cancel_at) ctx.cancel_timer(id);
      },
  });
}

std::vector<int64_t> times_ms(const std::vector<Tick>& ticks) {
  std::vector<int64_t> out;
  for (const Tick& t : ticks) out.push_back(t.at.ns() / 1'000'000);
  return out;
}

}  // namespace

TEST_CASE("a periodic timer fires every period under the one id every() returned") {
  std::vector<Tick> ticks;
  TimerId armed;
  World world(WorldOptions{}, seeded(1));
  world.add_node("n", ticker(milliseconds(10), ticks, armed));
  world.run_until(at_ms(55));
  CHECK(times_ms(ticks) == std::vector<int64_t>{10, 20, 30, 40, 50});
  for (const Tick& t : ticks) {
    CHECK(t.id == armed);
    CHECK(t.tag == 5);
  }
  CHECK(world.stats().timers_fired == 5);
}

TEST_CASE("cancelling a periodic timer stops the series, from outside or from its own handler") {
  SUBCASE("from outside, between two ticks") {
    std::vector<Tick> ticks;
    TimerId armed;
    World world(WorldOptions{}, seeded(1));
    NodeId n = world.add_node("n", ticker(milliseconds(10), ticks, armed));
    world.run_until(at_ms(25));
    Context(world, n).cancel_timer(armed);
    world.run_until(at_ms(100));
    CHECK(times_ms(ticks) == std::vector<int64_t>{10, 20});
    CHECK(world.quiescent());
  }
  SUBCASE("from its handler: the tick armed before the handler ran is the one cancelled") {
    std::vector<Tick> ticks;
    TimerId armed;
    World world(WorldOptions{}, seeded(1));
    world.add_node("n", ticker(milliseconds(10), ticks, armed, 3));
    world.run_until(at_ms(100));
    CHECK(times_ms(ticks) == std::vector<int64_t>{10, 20, 30});
    CHECK(world.quiescent());
  }
  SUBCASE("the cancelled id is stale afterwards: it stops no timer armed later") {
    std::vector<uint64_t> fired;
    TimerId series;
    World world(WorldOptions{}, seeded(1));
    NodeId n = world.add_node(
        "n", scripted(Script{
                 [&series](Context& ctx, int64_t&) { series = ctx.every(milliseconds(10), 1); },
                 nullptr,
                 [&fired](Context&, TimerId, uint64_t tag, int64_t&) { fired.push_back(tag); },
             }));
    world.run_until(at_ms(15));
    Context ctx(world, n);
    ctx.cancel_timer(series);
    TimerId later = ctx.set_timer(milliseconds(10), 2);  // may take the freed slot
    ctx.cancel_timer(series);
    ctx.cancel_timer(series);
    world.run_until(at_ms(100));
    CHECK(fired == std::vector<uint64_t>{1, 2});
    CHECK_FALSE(later == series);
  }
}

TEST_CASE("a crash ends a periodic timer; the restart's on_start arms a new one") {
  std::vector<Tick> ticks;
  TimerId armed;
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node("n", ticker(milliseconds(10), ticks, armed));
  world.run_until(at_ms(25));
  const TimerId before_crash = armed;
  world.crash(n);
  world.run_until(at_ms(32));
  CHECK(times_ms(ticks) == std::vector<int64_t>{10, 20});  // nothing while down
  world.restart(n);
  // An id from before the crash is stale: cancelling it leaves the new series alone.
  Context(world, n).cancel_timer(before_crash);
  world.run_until(at_ms(60));
  CHECK(times_ms(ticks) == std::vector<int64_t>{10, 20, 42, 52});
  CHECK(ticks.back().id == armed);
  CHECK_FALSE(armed == before_crash);
}

TEST_CASE("a tick made late by a pause is followed by the next a whole period later") {
  // Fixed delay: the period counts from the firing, so a pause never leaves a burst of ticks.
  std::vector<Tick> ticks;
  TimerId armed;
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node("n", ticker(milliseconds(10), ticks, armed));
  world.run_until(at_ms(15));
  world.pause(n);
  world.run_until(at_ms(47));
  world.resume(n);
  world.run_until(at_ms(70));
  CHECK(times_ms(ticks) == std::vector<int64_t>{10, 47, 57, 67});
}

TEST_CASE("the trace records each period as a firing followed by the next period's timer-set") {
  RecordingSink sink;
  std::vector<Tick> ticks;
  TimerId armed;
  World world(WorldOptions{}, seeded(1));
  // A clock twice as fast as true time: the deadlines are local times, 10ms apart.
  NodeId n = world.add_node("n", ticker(milliseconds(10), ticks, armed),
                            NodeClock(Drift{1'000'000}, Duration{}));
  world.set_trace(&sink);
  world.run_until(at_ms(16));  // local 32ms: ticks at local 10, 20, 30 (true 5, 10, 15)
  Context(world, n).cancel_timer(armed);
  world.run_until(at_ms(100));

  std::vector<TraceEvent> timer_records;
  for (const TraceEvent& e : sink.events) {
    if (e.kind == TraceKind::kTimer || e.kind == TraceKind::kTimerSet ||
        e.kind == TraceKind::kTimerCancel) {
      timer_records.push_back(e);
    }
  }
  // set, then (timer, set) per tick, then the cancel of the armed one.
  REQUIRE(timer_records.size() == 8);
  CHECK(timer_records[0].kind == TraceKind::kTimerSet);
  for (size_t tick = 0; tick < 3; ++tick) {
    CAPTURE(tick);
    const TraceEvent& set = timer_records[2 * tick];
    const TraceEvent& fired = timer_records[2 * tick + 1];
    const TraceEvent& next = timer_records[2 * tick + 2];
    CHECK(set.kind == TraceKind::kTimerSet);
    CHECK(fired.kind == TraceKind::kTimer);
    CHECK(next.kind == TraceKind::kTimerSet);
    CHECK(fired.timer == set.timer);
    CHECK(fired.local == set.deadline);
    CHECK(fired.detail == "5");
    // Each period has its own name in the trace; its deadline is a period from the firing.
    CHECK(next.timer != fired.timer);
    CHECK(next.deadline == fired.local + milliseconds(10));
    CHECK(next.index == fired.index + 1);
  }
  CHECK(timer_records[7].kind == TraceKind::kTimerCancel);
  CHECK(timer_records[7].timer == timer_records[6].timer);
}

TEST_CASE("every() leaves the trace a handler re-arming by hand, first thing, leaves") {
  // Both nodes gossip on their tick; the one re-arms with every(), the other by hand.
  const auto gossip = [](bool periodic) {
    return Script{
        [periodic](Context& ctx, int64_t&) {
          if (periodic) {
            ctx.every(milliseconds(3), 9);
          } else {
            ctx.set_timer(milliseconds(3), 9);
          }
        },
        [](Context& ctx, const Message& m, int64_t&) {
          if (m.payload.as<Ping>()) ctx.send(m.from, Pong{});
        },
        [periodic](Context& ctx, TimerId, uint64_t, int64_t& count) {
          if (!periodic) ctx.set_timer(milliseconds(3), 9);
          ctx.send(static_cast<NodeId>(ctx.random(3)), Ping{++count});
        },
    };
  };
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    std::vector<RecordingSink> sinks(2);
    for (int periodic = 0; periodic < 2; ++periodic) {
      World world(WorldOptions{}, seeded(seed));
      for (const char* name : {"a", "b", "c"}) world.add_node(name, scripted(gossip(periodic)));
      world.set_trace(&sinks[periodic]);
      world.run_until(at_ms(40));
      world.crash(1);
      world.run_until(at_ms(50));
      world.restart(1);
      world.run_until(at_ms(100));
    }
    REQUIRE(sinks[0].events.size() == sinks[1].events.size());
    REQUIRE(sinks[0].count(TraceKind::kTimerSet) > 60);
    for (size_t i = 0; i < sinks[0].events.size(); ++i) {
      const TraceEvent& hand = sinks[0].events[i];
      const TraceEvent& kernel = sinks[1].events[i];
      CAPTURE(i);
      CHECK(hand.kind == kernel.kind);
      CHECK(hand.at == kernel.at);
      CHECK(hand.node == kernel.node);
      CHECK(hand.lamport == kernel.lamport);
      CHECK(hand.timer == kernel.timer);
      CHECK(hand.deadline == kernel.deadline);
      CHECK(hand.message_id == kernel.message_id);
    }
  }
}

namespace {

// The timer steps an untimed world offers now.
std::vector<UntimedAction> timer_steps(World& world) {
  std::vector<UntimedAction> out;
  for (const UntimedAction& a : world.untimed_actions()) {
    if (world.action_family(a) == "timer") out.push_back(a);
  }
  return out;
}

WorldOptions untimed_options(FaultBudget budget = {}) {
  WorldOptions options;
  options.untimed = budget;
  return options;
}

}  // namespace

TEST_CASE("in an untimed world a periodic timer is one enabled step however often it fires") {
  std::vector<Tick> ticks;
  TimerId armed;
  World world(untimed_options(), seeded(1));
  NodeId n = world.add_node("n", ticker(milliseconds(10), ticks, armed));
  for (int step = 0; step < 5; ++step) {
    CAPTURE(step);
    std::vector<UntimedAction> steps = timer_steps(world);
    REQUIRE(steps.size() == 1);
    CHECK(world.describe(steps[0]) == "timer 5 of n");
    CHECK(world.action_node(steps[0]) == n);
    REQUIRE(world.step());
  }
  REQUIRE(ticks.size() == 5);
  CHECK(ticks.back().id == armed);
  // The node's clock moves a period at each firing: its own time, not the world's steps.
  CHECK(Context(world, n).now() == LocalTime{} + milliseconds(50));

  SUBCASE("cancelled, it offers no step") {
    Context(world, n).cancel_timer(armed);
    CHECK(timer_steps(world).empty());
    CHECK(world.untimed_actions().empty());
  }
}

TEST_CASE("in an untimed world a crash takes a periodic timer's step away; a restart re-arms") {
  std::vector<Tick> ticks;
  TimerId armed;
  FaultBudget budget;
  budget.crashes = 1;
  World world(untimed_options(budget), seeded(1));
  NodeId n = world.add_node("n", ticker(milliseconds(10), ticks, armed));
  REQUIRE(timer_steps(world).size() == 1);
  world.crash(n);
  CHECK(timer_steps(world).empty());
  world.restart(n);
  REQUIRE(timer_steps(world).size() == 1);
  REQUIRE(world.step());
  REQUIRE(ticks.size() == 1);
  CHECK(ticks[0].id == armed);
  CHECK(timer_steps(world).size() == 1);
}

TEST_CASE("an untimed world's timer budget bounds a periodic timer, which stays armed") {
  std::vector<Tick> ticks;
  TimerId armed;
  FaultBudget budget;
  budget.timers = 3;
  World world(untimed_options(budget), seeded(1));
  world.add_node("n", ticker(milliseconds(10), ticks, armed));
  while (world.step()) {
  }
  CHECK(ticks.size() == 3);
  CHECK_FALSE(world.quiescent());  // the fourth tick is armed, but not offered
}

TEST_CASE("untimed fingerprints are the same for every() and a re-arm by hand at the start") {
  const auto node = [](bool periodic) {
    return scripted(Script{
        [periodic](Context& ctx, int64_t&) {
          if (periodic) {
            ctx.every(milliseconds(10), 4);
          } else {
            ctx.set_timer(milliseconds(10), 4);
          }
          ctx.set_timer(milliseconds(25), 8);  // a one-shot beside it
        },
        nullptr,
        [periodic](Context& ctx, TimerId, uint64_t tag, int64_t&) {
          if (!periodic && tag == 4) ctx.set_timer(milliseconds(10), 4);
        },
    });
  };
  World hand(untimed_options(), seeded(7));
  World kernel(untimed_options(), seeded(7));
  hand.add_node("n", node(false));
  kernel.add_node("n", node(true));
  for (int step = 0; step < 6; ++step) {
    CAPTURE(step);
    std::vector<UntimedAction> a = hand.untimed_actions();
    std::vector<UntimedAction> b = kernel.untimed_actions();
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) CHECK(hand.describe(a[i]) == kernel.describe(b[i]));
    CHECK(hand.fingerprint() == kernel.fingerprint());
    if (!hand.step() || !kernel.step()) break;
  }
}
