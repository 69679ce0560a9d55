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

// "1.5s", "150ms", "20us", "7ns", "never": the same shortest exact rendering the trace uses
// (sim::format_duration), repeated here because checkers may not include the kernel.
inline std::string format_ns(int64_t ns) {
  if (ns == kNever) return "never";
  if (ns == std::numeric_limits<int64_t>::min()) return "-inf";
  const bool negative = ns < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  struct Unit {
    uint64_t ns;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
  const Unit* unit = &kUnits[3];
  for (const Unit& u : kUnits) {
    if (magnitude >= u.ns) {
      unit = &u;
      break;
    }
  }
  std::string text = negative ? "-" : "";
  text += std::to_string(magnitude / unit->ns);
  uint64_t rest = magnitude % unit->ns;
  if (rest != 0) {
    std::string fraction;
    for (uint64_t scale = unit->ns / 10; scale > 0; scale /= 10) {
      fraction += static_cast<char>('0' + (rest / scale) % 10);
    }
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + unit->name;
}

}  // namespace faultline::checkers
