#pragma once
// Simulated time. Everything is an integer count of nanoseconds: floating point would make event
// order depend on rounding, and rounding differs between compilers' constant folding.
//
// Three strong types keep units and frames apart:
//   Duration   a length of time (may be negative: a clock jump backwards),
//   TrueTime   a point on the simulation's one true timeline, the order of events,
//   LocalTime  what one node's clock reads; never comparable with TrueTime by accident.

#include <compare>
#include <cstdint>
#include <limits>
#include <string>

namespace faultline::sim {

// 128-bit integers for exact products of times and rates (a GNU extension both g++ and clang++
// support; spelled once here so that -Wpedantic stays quiet).
__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(int64_t n) { return Duration(n); }
  static constexpr Duration max() { return Duration(std::numeric_limits<int64_t>::max() / 4); }

  constexpr int64_t ns() const { return ns_; }
  constexpr double seconds() const { return static_cast<double>(ns_) / 1e9; }
  constexpr double milliseconds() const { return static_cast<double>(ns_) / 1e6; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator-() const { return Duration(-ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }

 private:
  constexpr explicit Duration(int64_t n) : ns_(n) {}
  int64_t ns_ = 0;
};

// `v` clamped to +-`limit` (at most Duration::max()): where a clock's readings, offset and timer
// lengths saturate rather than overflow int64 (sim/clock.hpp). Within Duration::max(), sums of two
// or three times and durations still fit in int64, as the kernel's event arithmetic needs.
constexpr int64_t saturate(Int128 v, int64_t limit = Duration::max().ns()) {
  return static_cast<int64_t>(v > limit ? limit : v < -Int128{limit} ? -Int128{limit} : v);
}

constexpr Duration nanoseconds(int64_t n) {
  return Duration::nanoseconds(n);
}
constexpr Duration microseconds(int64_t n) {
  return Duration::nanoseconds(n * 1000);
}
constexpr Duration milliseconds(int64_t n) {
  return Duration::nanoseconds(n * 1000'000);
}
constexpr Duration seconds(int64_t n) {
  return Duration::nanoseconds(n * 1000'000'000);
}

// A point in time in a given frame. The tag keeps true and local time from mixing silently.
template <class Frame>
class TimePoint {
 public:
  constexpr TimePoint() = default;
  static constexpr TimePoint from_ns(int64_t n) { return TimePoint(n); }
  static constexpr TimePoint max() { return TimePoint(Duration::max().ns()); }

  constexpr int64_t ns() const { return ns_; }
  constexpr Duration since_epoch() const { return Duration::nanoseconds(ns_); }

  constexpr auto operator<=>(const TimePoint&) const = default;
  constexpr TimePoint operator+(Duration d) const { return TimePoint(ns_ + d.ns()); }
  constexpr TimePoint operator-(Duration d) const { return TimePoint(ns_ - d.ns()); }
  constexpr Duration operator-(TimePoint o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr TimePoint& operator+=(Duration d) {
    ns_ += d.ns();
    return *this;
  }

 private:
  constexpr explicit TimePoint(int64_t n) : ns_(n) {}
  int64_t ns_ = 0;
};

struct TrueFrame {};
struct LocalFrame {};
using TrueTime = TimePoint<TrueFrame>;
using LocalTime = TimePoint<LocalFrame>;

// "1.5s", "150ms", "-20us", "0ns": the shortest exact rendering, used in traces and messages.
std::string format_duration(Duration d);

// Parses "<integer or decimal><unit>" with unit in ns, us, ms, s, m, h. Returns false on anything
// else (no unit, unknown unit, overflow); callers turn that into an error naming the field.
bool parse_duration(const std::string& text, Duration& out);

}  // namespace faultline::sim
