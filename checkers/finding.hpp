#pragma once
// What a checker reports: one broken property, when it broke and who was involved. Checkers know
// nothing of the kernel, so times are plain nanoseconds of true time and names are strings; the
// runner maps `involved` back onto trace events to highlight them in the diagram.

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace faultline::checkers {

struct Finding {
  std::string checker;                // e.g. "mutual-exclusion"
  int64_t at_ns = 0;                  // true time at which the property was first broken
  std::string message;                // one paragraph a person can act on
  std::vector<std::string> involved;  // process/node names or operation ids to highlight
};

// Stands for "never" in intervals that stay open until the end of the run.
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// "1.5s", "150ms", "1234.567us", "never": the same rendering the trace uses (sim::format_duration:
// the largest of s, ms, us, ns that is exact with at most three decimals), repeated here because
// checkers may not include the kernel.
inline std::string format_ns(int64_t ns) {
  if (ns == kNever) return "never";
  if (ns == 0) return "0s";
  const bool negative = ns < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  struct Unit {
    uint64_t ns;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
  for (const Unit& u : kUnits) {
    const uint64_t rest = magnitude % u.ns;
    if (magnitude < u.ns || rest * 1000 % u.ns != 0) continue;
    std::string text = (negative ? "-" : "") + std::to_string(magnitude / u.ns);
    if (rest != 0) {
      std::string digits = std::to_string(rest * 1000 / u.ns);
      digits.insert(0, 3 - digits.size(), '0');
      while (digits.back() == '0') digits.pop_back();
      text += "." + digits;
    }
    return text + u.name;
  }
  return std::string(negative ? "-" : "") + std::to_string(magnitude) + "ns";  // unreachable
}

}  // namespace faultline::checkers
