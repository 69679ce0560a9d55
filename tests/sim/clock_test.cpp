#include "sim/clock.hpp"

#include <optional>
#include <vector>

#include <doctest/doctest.h>

#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

TEST_CASE("a clock with drift reads (1 + drift) times true time, exactly") {
  NodeClock fast(Drift{100'000}, Duration{});
  CHECK(fast.monotonic(TrueTime{} + seconds(1)).since_epoch() == milliseconds(1100));
  NodeClock slow(Drift{-50}, Duration{});
  CHECK(slow.monotonic(TrueTime{} + seconds(1)).since_epoch() ==
        milliseconds(1000) - microseconds(50));
  NodeClock ideal;
  CHECK(ideal.monotonic(TrueTime{} + nanoseconds(123)).ns() == 123);
}

TEST_CASE("a timer's true length on a drifting clock is rounded up, never early") {
  NodeClock fast(Drift{100'000}, Duration{});
  // 100ms / 1.1 = 90909090.9..ns: rounded up so that the local deadline has passed at the firing.
  Duration length = fast.true_length(milliseconds(100));
  CHECK(length.ns() == 90'909'091);
  CHECK(fast.monotonic(TrueTime{} + length).since_epoch() >= milliseconds(100));
  CHECK(fast.monotonic(TrueTime{} + length - nanoseconds(1)).since_epoch() < milliseconds(100));

  NodeClock slow(Drift{-100'000}, Duration{});
  CHECK(slow.true_length(milliseconds(90)) == milliseconds(100));
}

TEST_CASE("a wall-clock jump moves the wall clock but not the monotonic one") {
  NodeClock clock(Drift{0}, milliseconds(7));
  TrueTime t = TrueTime{} + seconds(3);
  CHECK(clock.wall(t).since_epoch() == seconds(3) + milliseconds(7));
  clock.jump_wall(-seconds(10));
  CHECK(clock.monotonic(t).since_epoch() == seconds(3));
  CHECK(clock.wall(t).since_epoch() == seconds(3) + milliseconds(7) - seconds(10));
  CHECK(clock.wall_offset() == milliseconds(7) - seconds(10));
}

TEST_CASE("changing the drift keeps the clock's readings continuous") {
  NodeClock clock;
  TrueTime t1 = TrueTime{} + seconds(10);
  clock.set_drift(t1, Drift{500'000});
  CHECK(clock.monotonic(t1).since_epoch() == seconds(10));
  CHECK(clock.monotonic(t1 + seconds(2)).since_epoch() == seconds(13));
  clock.set_drift(t1 + seconds(2), Drift{0});
  CHECK(clock.monotonic(t1 + seconds(4)).since_epoch() == seconds(15));
}

namespace {

// A node that arms one 100ms timer at boot and records the true and local time it fires at.
struct TimerProbe {
  std::optional<TrueTime> fired_true;
  std::optional<LocalTime> fired_local;
  std::optional<LocalTime> fired_wall;
};

NodeFactory timer_node(TimerProbe& probe, Duration after) {
  return scripted(Script{
      [after](Context& ctx, int64_t&) { ctx.set_timer(after); },
      nullptr,
      [&probe](Context& ctx, TimerId, uint64_t, int64_t&) {
        probe.fired_true = ctx.observer_time();
        probe.fired_local = ctx.now();
        probe.fired_wall = ctx.wall_now();
      },
  });
}

}  // namespace

TEST_CASE("a +10% drift fires a 100 ms timer at about 90.9 ms of true time") {
  TimerProbe fast, ideal, slow;
  World world(WorldOptions{}, seeded(1));
  world.add_node("fast", timer_node(fast, milliseconds(100)), NodeClock(Drift{100'000}, {}));
  world.add_node("ideal", timer_node(ideal, milliseconds(100)));
  world.add_node("slow", timer_node(slow, milliseconds(100)), NodeClock(Drift{-100'000}, {}));
  world.run_until(at_ms(1000));

  REQUIRE(fast.fired_true);
  CHECK(fast.fired_true->ns() == 90'909'091);
  CHECK(fast.fired_local->since_epoch() >= milliseconds(100));
  CHECK(fast.fired_local->since_epoch() < milliseconds(100) + nanoseconds(2));
  REQUIRE(ideal.fired_true);
  CHECK(*ideal.fired_true == at_ms(100));
  REQUIRE(slow.fired_true);
  CHECK(slow.fired_true->ns() == 111'111'112);  // 100ms / 0.9, rounded up
}

TEST_CASE(
    "a clock jump moves a node's wall clock but not its monotonic clock, and not its timers") {
  TimerProbe forward, backward;
  World world(WorldOptions{}, seeded(1));
  NodeId f = world.add_node("forward", timer_node(forward, milliseconds(100)));
  NodeId b = world.add_node("backward", timer_node(backward, milliseconds(100)));
  world.run_until(at_ms(10));
  world.jump_clock(f, seconds(5));
  world.jump_clock(b, -seconds(5));
  CHECK(world.monotonic(f).since_epoch() == milliseconds(10));
  CHECK(world.wall(f).since_epoch() == milliseconds(10) + seconds(5));
  CHECK(world.wall(b).since_epoch() == milliseconds(10) - seconds(5));
  world.run_until(at_ms(1000));

  // The 100ms timers fire at 100ms of true and monotonic time, not 5s early or late.
  REQUIRE(forward.fired_true);
  CHECK(*forward.fired_true == at_ms(100));
  CHECK(forward.fired_local->since_epoch() == milliseconds(100));
  CHECK(forward.fired_wall->since_epoch() == milliseconds(100) + seconds(5));
  REQUIRE(backward.fired_true);
  CHECK(*backward.fired_true == at_ms(100));
  CHECK(backward.fired_wall->since_epoch() == milliseconds(100) - seconds(5));
}

TEST_CASE("a clock jump fault from the timeline is traced with its amount") {
  RecordingSink sink;
  World world(WorldOptions{}, seeded(1));
  world.set_trace(&sink);
  NodeId n = world.add_node("n", scripted(Script{}));
  Fault jump;
  jump.kind = Fault::Kind::kClockJump;
  jump.at = at_ms(20);
  jump.node = n;
  jump.amount = -milliseconds(1500);
  world.schedule_fault(jump);
  world.run_until(at_ms(50));
  auto jumps = sink.of_kind(TraceKind::kClockJump);
  REQUIRE(jumps.size() == 1);
  CHECK(jumps[0].detail == "-1.5s");
  CHECK(jumps[0].at == at_ms(20));
  CHECK(jumps[0].local.since_epoch() == milliseconds(20));
  CHECK(jumps[0].wall.since_epoch() == milliseconds(20) - milliseconds(1500));
}

TEST_CASE(
    "a drift fault changes the clock's rate from then on; armed timers wait for their "
    "local deadline") {
  std::vector<std::pair<TrueTime, LocalTime>> fired;
  World world(WorldOptions{}, seeded(1));
  NodeId n =
      world.add_node("n", scripted(Script{
                              [](Context& ctx, int64_t&) { ctx.set_timer(milliseconds(150), 0); },
                              nullptr,
                              [&fired](Context& ctx, TimerId, uint64_t tag, int64_t&) {
                                fired.emplace_back(ctx.observer_time(), ctx.now());
                                if (tag == 0) ctx.set_timer(milliseconds(50), 1);
                              },
                          }));
  Fault drift;
  drift.kind = Fault::Kind::kClockDrift;
  drift.at = at_ms(100);
  drift.node = n;
  drift.drift = Drift{-500'000};  // half speed from 100ms on
  world.schedule_fault(drift);
  world.run_until(at_ms(300));
  CHECK(world.monotonic(n).since_epoch() == milliseconds(200));
  REQUIRE(fired.size() == 2);
  // Armed before the change: fires when the clock reads 150ms; its last 50ms, at half speed, take
  // 100ms of true time.
  CHECK(fired[0].first == at_ms(200));
  CHECK(fired[0].second.since_epoch() == milliseconds(150));
  // Armed after: 50ms on a half-speed clock is 100ms of true time.
  CHECK(fired[1].first == at_ms(300));
  CHECK(fired[1].second.since_epoch() == milliseconds(200));
}
