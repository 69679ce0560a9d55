#pragma once
// A node's two clocks (TigerBeetle's time.zig has the same split):
//  - monotonic: (1 + drift) * true time since the node's clock was last re-based. It never jumps;
//    it drives the node's timers, so a node whose clock runs fast fires its timers early.
//  - wall: monotonic + offset. A skew fault jumps the offset forward or back, as NTP or an
//    operator would. Code that measures a lease on the wall clock breaks under a jump; code that
//    measures it on the monotonic clock breaks under drift.

#include <cstdint>

#include "sim/time.hpp"

namespace faultline::sim {

// Rate error of a clock in parts per million: +100000 runs 10% fast, -50 runs 50 ppm slow.
// An integer so that local time is computed exactly, the same on every compiler.
struct Drift {
  int64_t ppm = 0;
  auto operator<=>(const Drift&) const = default;
};

class NodeClock {
 public:
  NodeClock() = default;
  NodeClock(Drift drift, Duration wall_offset) : drift_(drift), wall_offset_(wall_offset) {}

  LocalTime monotonic(TrueTime now) const {
    return base_local_ + scale(now - base_true_, 1000'000 + drift_.ppm, 1000'000);
  }
  LocalTime wall(TrueTime now) const { return monotonic(now) + wall_offset_; }

  // The true-time length of `local` on this clock: a 100ms timer on a clock 10% fast lasts
  // 90.909ms of true time. Rounded up so a timer never fires before its local deadline.
  Duration true_length(Duration local) const {
    return scale_up(local, 1000'000, 1000'000 + drift_.ppm);
  }

  // Changes the rate from `now` on; the readings stay continuous.
  void set_drift(TrueTime now, Drift drift) {
    base_local_ = monotonic(now);
    base_true_ = now;
    drift_ = drift;
  }
  void jump_wall(Duration by) { wall_offset_ += by; }

  Drift drift() const { return drift_; }
  Duration wall_offset() const { return wall_offset_; }

 private:
  static Duration scale(Duration d, int64_t num, int64_t den) {
    return Duration::nanoseconds(static_cast<int64_t>(static_cast<Int128>(d.ns()) * num / den));
  }
  static Duration scale_up(Duration d, int64_t num, int64_t den) {
    Int128 p = static_cast<Int128>(d.ns()) * num;
    return Duration::nanoseconds(static_cast<int64_t>((p + den - 1) / den));
  }

  Drift drift_;
  Duration wall_offset_;
  LocalTime base_local_;
  TrueTime base_true_;
};

}  // namespace faultline::sim
