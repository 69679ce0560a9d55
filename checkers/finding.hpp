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

// A violation is a property shown broken. An undecided finding is a checker that ran out of a
// limit (the linearizability search's memory bound) before it could tell: neither a pass nor a
// violation, and a run that has one must not be reported as ok.
enum class FindingKind : std::uint8_t { violation, undecided };

struct Finding {
  std::string checker;                // e.g. "mutual-exclusion"
  int64_t at_ns = 0;                  // true time at which the property was first broken
  std::string message;                // one paragraph a person can act on
  std::vector<std::string> involved;  // process/node names or operation ids to highlight
  FindingKind kind = FindingKind::violation;
};

// Stands for "never" in intervals that stay open until the end of the run.
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// "1.5s", "150ms", "15.054626113s", "never": the largest unit not above the value, with as many
// decimals as it takes to be exact. Readable in a message, where sim::format_duration (exact
// with at most three decimals, for scenario files) would print "15054626.113us".
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

}  // namespace faultline::checkers
