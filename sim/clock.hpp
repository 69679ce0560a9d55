#pragma once
// A node's two clocks (TigerBeetle's time.zig has the same split):
//  - monotonic: (1 + drift) * true time since the node's clock was last re-based. It never jumps;
//    it drives the node's timers, so a node whose clock runs fast fires its timers early.
//  - wall: monotonic + offset. A skew fault jumps the offset forward or back, as NTP or an
//    operator would. Code that measures a lease on the wall clock breaks under a jump; code that
//    measures it on the monotonic clock breaks under drift.
//
// Bounds (docs/limits.md): the wall offset saturates at +-kMaxWallOffset, and every reading and a
// timer's true length at +-Duration::max() (about 73 years), instead of overflowing int64
// nanoseconds, however many jumps add up or however long a fast clock runs; the rate is clamped to
// [kMinPpm, kMaxPpm], so that a clock always runs forward and its arithmetic stays within 128 bits.

#include <algorithm>
#include <cstdint>

#include "sim/time.hpp"

namespace faultline::sim {

// Rate error of a clock in parts per million: +100000 runs 10% fast, -50 runs 50 ppm slow.
// An integer so that local time is computed exactly, the same on every compiler.
struct Drift {
  // A clock that stops (-1000000) or runs backwards has no true length for a timer: the slowest
  // rate is one millionth. The fastest, a thousand times true time, is far past any real clock.
  static constexpr int64_t kMinPpm = -999'999;
  static constexpr int64_t kMaxPpm = 999'000'000;

  int64_t ppm = 0;
  auto operator<=>(const Drift&) const = default;
};

class NodeClock {
 public:
  // 10,000 days (about 27 years) either way. Half of what a scenario's clock jump may be: the
  // nemesis's heal steps a clock back by its whole offset (at most this plus a configured offset
  // of a year), and that jump, in the fault log, must load again as a scenario's.
  static constexpr Duration kMaxWallOffset = seconds(86400 * 10'000);

  NodeClock() = default;
  NodeClock(Drift drift, Duration wall_offset)
      : drift_(clamped(drift)),
        wall_offset_(Duration::nanoseconds(saturate(wall_offset.ns(), kMaxWallOffset.ns()))) {}

  // Saturates at LocalTime::max() (or its negative): a clock 1000x fast reaches it after about
  // 27 days of true time, and stays there.
  LocalTime monotonic(TrueTime now) const {
    const Int128 elapsed = static_cast<Int128>(now.ns()) - base_true_.ns();
    return LocalTime::from_ns(
        saturate(base_local_.ns() + elapsed * (1000'000 + drift_.ppm) / 1000'000));
  }
  LocalTime wall(TrueTime now) const {
    return LocalTime::from_ns(
        saturate(static_cast<Int128>(monotonic(now).ns()) + wall_offset_.ns()));
  }

  // The true-time length of `local` on this clock: a 100ms timer on a clock 10% fast lasts
  // 90.909ms of true time. Rounded up so a timer never fires before its local deadline.
  // Saturates at Duration::max(): a timer that long never fires within a run.
  Duration true_length(Duration local) const {
    const Int128 p = static_cast<Int128>(local.ns()) * 1000'000;
    const int64_t den = 1000'000 + drift_.ppm;  // at least 1: the rate is clamped
    // Rounded towards +infinity for either sign (integer division truncates towards zero).
    const Int128 q = p / den + (p % den > 0 ? 1 : 0);
    return Duration::nanoseconds(saturate(q));
  }

  // Changes the rate from `now` on; the readings stay continuous.
  void set_drift(TrueTime now, Drift drift) {
    base_local_ = monotonic(now);
    base_true_ = now;
    drift_ = clamped(drift);
  }
  // Moves the wall offset by `by`; the sum of every jump saturates at +-kMaxWallOffset, so a jump
  // back after a saturated one does not return to where the clock was.
  void jump_wall(Duration by) {
    wall_offset_ = Duration::nanoseconds(
        saturate(static_cast<Int128>(wall_offset_.ns()) + by.ns(), kMaxWallOffset.ns()));
  }

  Drift drift() const { return drift_; }
  Duration wall_offset() const { return wall_offset_; }

 private:
  static Drift clamped(Drift d) { return Drift{std::clamp(d.ppm, Drift::kMinPpm, Drift::kMaxPpm)}; }

  Drift drift_;
  Duration wall_offset_;
  LocalTime base_local_;
  TrueTime base_true_;
};

}  // namespace faultline::sim
