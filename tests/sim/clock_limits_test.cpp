// A node's clock at the ends of int64 nanoseconds (docs/limits.md): jumps that add up, a rate at
// either end, a fast clock over a long run. The wall offset saturates at +-kMaxWallOffset and each
// reading at +-Duration::max() instead of overflowing; before they did, these cases were signed
// overflow (the ASan+UBSan build stops on it) or a division by zero.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/clock.hpp"
#include "sim/nemesis.hpp"
#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

const LocalTime kLocalMax = LocalTime::max();
const Duration kMaxOffset = NodeClock::kMaxWallOffset;

}  // namespace

TEST_CASE("five maximal clock jumps saturate the wall offset instead of overflowing") {
  for (int sign : {1, -1}) {
    CAPTURE(sign);
    NodeClock clock;
    const TrueTime now = TrueTime{} + seconds(1);
    for (int i = 0; i < 5; ++i) clock.jump_wall(Duration::max() * sign);
    CHECK(clock.wall_offset() == kMaxOffset * sign);
    CHECK(clock.wall(now) == LocalTime{} + seconds(1) + kMaxOffset * sign);
    CHECK(clock.monotonic(now) == LocalTime{} + seconds(1));  // a jump leaves it alone
    // Saturated: one jump back returns to zero, not to four maximal jumps ahead.
    clock.jump_wall(-kMaxOffset * sign);
    CHECK(clock.wall_offset() == Duration{});
    CHECK(clock.wall(now) == LocalTime{} + seconds(1));
  }
}

TEST_CASE("a jump by any int64 amount, even the most negative, saturates") {
  NodeClock clock(Drift{0}, kMaxOffset);
  clock.jump_wall(Duration::nanoseconds(kInt64Max));
  CHECK(clock.wall_offset() == kMaxOffset);
  clock.jump_wall(Duration::nanoseconds(kInt64Min));
  CHECK(clock.wall_offset() == -kMaxOffset);
  clock.jump_wall(Duration::nanoseconds(kInt64Min));
  CHECK(clock.wall_offset() == -kMaxOffset);
  CHECK(clock.wall(TrueTime{}) == LocalTime{} - kMaxOffset);
  // A configured offset past the bound is clamped as well.
  CHECK(NodeClock(Drift{0}, Duration::nanoseconds(kInt64Min)).wall_offset() == -kMaxOffset);
}

TEST_CASE("a rate at either end of int64 is clamped: the clock runs forward, never divides by 0") {
  NodeClock fastest(Drift{kInt64Max}, Duration{});
  CHECK(fastest.drift() == Drift{Drift::kMaxPpm});
  CHECK(fastest.monotonic(TrueTime{} + seconds(1)) == LocalTime{} + seconds(1000));
  CHECK(fastest.true_length(seconds(1)) == milliseconds(1));

  for (int64_t ppm : {kInt64Min, int64_t{-1'000'000}, int64_t{-2'000'000}}) {
    CAPTURE(ppm);
    NodeClock slowest(Drift{ppm}, Duration{});
    CHECK(slowest.drift() == Drift{Drift::kMinPpm});  // one millionth of true time
    CHECK(slowest.monotonic(TrueTime{} + seconds(1)) == LocalTime{} + microseconds(1));
    CHECK(slowest.true_length(microseconds(1)) == seconds(1));
    // A long timer on it would last past the end of int64: it saturates, and never fires.
    CHECK(slowest.true_length(seconds(86400 * 365)) == Duration::max());
    CHECK(slowest.true_length(Duration::max()) == Duration::max());
  }

  NodeClock clock;
  clock.set_drift(TrueTime{} + seconds(1), Drift{kInt64Min});
  CHECK(clock.drift() == Drift{Drift::kMinPpm});
}

TEST_CASE("a fast clock over a long run saturates its readings at the end of the range") {
  // 1000x fast, ahead by the most it can be: the monotonic clock reaches Duration::max() after
  // about 27 days of true time, the wall clock after about 17.
  NodeClock clock(Drift{Drift::kMaxPpm}, Duration::max());
  const TrueTime day = TrueTime{} + seconds(86400);
  CHECK(clock.monotonic(day) == LocalTime{} + seconds(86400 * 1000));
  CHECK(clock.wall(day) == LocalTime{} + seconds(86400 * 1000) + kMaxOffset);
  CHECK(clock.wall(day + seconds(86400 * 17)) == kLocalMax);
  const TrueTime late = TrueTime::max();
  CHECK(clock.monotonic(late) == kLocalMax);
  CHECK(clock.wall(late) == kLocalMax);
  // A change of rate there starts from the saturated reading and stays continuous.
  clock.set_drift(late, Drift{0});
  CHECK(clock.monotonic(late) == kLocalMax);
  // Past TrueTime::max(), as far as int64 goes: still no overflow.
  CHECK(clock.monotonic(TrueTime::from_ns(kInt64Max)) == kLocalMax);
  CHECK(clock.wall(TrueTime::from_ns(kInt64Max)) == kLocalMax);
}

namespace {

// A node that arms one timer of `after` at boot and counts its firings.
NodeFactory one_timer(Duration after, int& fired) {
  return scripted(Script{
      [after](Context& ctx, int64_t&) { ctx.set_timer(after); },
      nullptr,
      [&fired](Context&, TimerId, uint64_t, int64_t&) { ++fired; },
  });
}

}  // namespace

TEST_CASE("a world's clock faults saturate: jumps from the timeline, a stopped rate, traced") {
  RecordingSink sink;
  World world(WorldOptions{}, seeded(1));
  world.set_trace(&sink);
  int fired = 0;
  NodeId n = world.add_node("n", one_timer(seconds(3600), fired));
  // Eighty jumps of a year would be 80 years: past the bound, as a scenario's faults can add up to.
  // Then five of the most the kernel takes.
  for (int i = 0; i < 80; ++i) {
    Fault jump;
    jump.kind = Fault::Kind::kClockJump;
    jump.at = at_ms(10 + i);
    jump.node = n;
    jump.amount = seconds(86400 * 365);
    world.schedule_fault(jump);
  }
  for (int i = 0; i < 5; ++i) {
    Fault jump;
    jump.kind = Fault::Kind::kClockJump;
    jump.at = at_ms(100 + i);
    jump.node = n;
    jump.amount = Duration::max();
    world.schedule_fault(jump);
  }
  // A rate that would stop the clock: clamped to the slowest, so the hour-long timer now lasts
  // longer than any run, and is not scheduled past the end of int64.
  Fault stop;
  stop.kind = Fault::Kind::kClockDrift;
  stop.at = at_ms(200);
  stop.node = n;
  stop.drift = Drift{-1'000'000};
  world.schedule_fault(stop);
  world.run_until(at_ms(300));

  CHECK(world.clock(n).wall_offset() == kMaxOffset);
  CHECK(world.monotonic(n) == LocalTime{} + milliseconds(200) + nanoseconds(100));
  CHECK(world.wall(n) == world.monotonic(n) + kMaxOffset);
  CHECK(world.clock(n).drift() == Drift{Drift::kMinPpm});
  const std::vector<TraceEvent> jumps = sink.of_kind(TraceKind::kClockJump);
  REQUIRE(jumps.size() == 85);
  CHECK(jumps.back().wall == LocalTime{} + milliseconds(104) + kMaxOffset);
  CHECK(world.faults_in_force() ==
        std::vector<std::string>{"n's clock drifts -999999ppm, configured 0ppm",
                                 "n's wall clock is 864000000s off its configured offset"});
  world.run_until(at_ms(5000));
  CHECK(fired == 0);
}

TEST_CASE("a nemesis of long clock jumps, many at once, saturates and heals at stop") {
  // A year is the most a scenario's nemesis may jump; the kernel takes any Duration.
  for (Duration max_jump : {seconds(86400 * 365), Duration::max()}) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      CAPTURE(seed);
      CAPTURE(max_jump.ns());
      World world(WorldOptions{}, seeded(seed));
      NodeId n =
          world.add_node("n", scripted(chatter(1)), NodeClock(Drift{0}, -seconds(86400 * 365)));
      NemesisOptions nemesis;
      nemesis.kinds = {NemesisOptions::Kind::kClockJump};
      nemesis.targets = {n};
      nemesis.start = at_ms(0);
      nemesis.stop = at_ms(4000);
      nemesis.interval_mean = microseconds(50);
      nemesis.fault_min = seconds(3);  // undone late: thousands of jumps add up meanwhile
      nemesis.fault_max = seconds(3);
      nemesis.max_clock_jump = max_jump;
      Nemesis::start(world, nemesis);
      RecordingSink sink;
      world.set_trace(&sink);
      world.run_until(nemesis.stop - nanoseconds(1));
      // Each jump's trace reads the clock just after it: wall - monotonic is the offset then.
      Duration lowest, highest;
      for (const TraceEvent& jump : sink.of_kind(TraceKind::kClockJump)) {
        lowest = std::min(lowest, jump.wall - jump.local);
        highest = std::max(highest, jump.wall - jump.local);
      }
      CHECK(highest <= kMaxOffset);
      CHECK(lowest >= -kMaxOffset);
      CHECK((highest == kMaxOffset || lowest == -kMaxOffset));  // it did saturate
      world.run_until(nemesis.stop);
      // NTP steps it back as configured, from wherever the jumps left it.
      CHECK(world.clock(n).wall_offset() == -seconds(86400 * 365));
      CHECK(world.faults_in_force().empty());
      if (max_jump > seconds(86400 * 365)) continue;
      // Every jump logged, the heal's included, is one a scenario's timeline can hold (twice the
      // offset's bound): `faultline shrink` writes the log back as a scenario.
      for (const Fault& fault : world.fault_log()) {
        if (fault.kind != Fault::Kind::kClockJump) continue;
        CHECK(fault.amount <= kMaxOffset * 2);
        CHECK(fault.amount >= -kMaxOffset * 2);
      }
    }
  }
}

TEST_CASE("durations of a year and more render exactly, in seconds where they are whole") {
  // 365 days * 1000 passes 2^64: the check for three decimals must not multiply.
  CHECK(format_duration(seconds(86400 * 365)) == "31536000s");
  CHECK(format_duration(-seconds(86400 * 365)) == "-31536000s");
  CHECK(format_duration(seconds(86400 * 365) + milliseconds(5)) == "31536000.005s");
  CHECK(format_duration(Duration::max()) == "2305843009213693.951us");
  CHECK(format_duration(Duration::nanoseconds(kInt64Min)) == "-9223372036854775.808us");
}
