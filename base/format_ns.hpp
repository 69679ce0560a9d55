#pragma once
// A duration as a person reads it in a message: "1.5s", "150ms", "15.054626113s", "never". The
// largest unit not above the value, with as many decimals as it takes to be exact. Scenario files
// use sim::format_duration instead (at most three decimals, always parseable back), which would
// print "15054626.113us" here.

#include <cstdint>
#include <limits>
#include <string>

namespace faultline {

// Stands for "never" in intervals that stay open until the end of the run.
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

inline std::string format_ns(int64_t ns) {
  if (ns == kNever) return "never";
  if (ns == 0) return "0s";
  const bool negative = ns < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  struct Unit {
    uint64_t ns;
    int digits;
    const char* name;
  };
  static constexpr Unit kUnits[] = {
      {1000000000, 9, "s"}, {1000000, 6, "ms"}, {1000, 3, "us"}, {1, 0, "ns"}};
  const Unit* unit = &kUnits[3];
  for (const Unit& u : kUnits) {
    if (magnitude >= u.ns) {
      unit = &u;
      break;
    }
  }
  std::string text = (negative ? "-" : "") + std::to_string(magnitude / unit->ns);
  if (const uint64_t rest = magnitude % unit->ns; rest != 0) {
    std::string digits = std::to_string(rest);
    digits.insert(0, static_cast<size_t>(unit->digits) - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text + unit->name;
}

}  // namespace faultline
