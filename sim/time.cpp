#include "sim/time.hpp"

#include <cctype>
#include <cstdlib>

namespace faultline::sim {
namespace {

struct Unit {
  const char* suffix;
  int64_t ns;
};
// Longest suffixes first so that "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {{"ns", 1},           {"us", 1000},          {"ms", 1000'000},
                           {"s", 1000'000'000}, {"m", 60'000'000'000}, {"h", 3600'000'000'000}};

}  // namespace

std::string format_duration(Duration d) {
  int64_t n = d.ns();
  if (n == 0) return "0s";
  const char* sign = n < 0 ? "-" : "";
  uint64_t magnitude = n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n);
  // Pick the largest of s, ms, us, ns that renders exactly with at most three decimals.
  struct Scale {
    uint64_t ns;
    const char* name;
  };
  constexpr Scale scales[] = {{1000'000'000, "s"}, {1000'000, "ms"}, {1000, "us"}, {1, "ns"}};
  for (const Scale& s : scales) {
    // Exact with three decimals: a whole number of thousandths of the unit. (magnitude * 1000
    // would wrap past 2^64 for durations over about 213 days.)
    if (magnitude >= s.ns && magnitude % (s.ns >= 1000 ? s.ns / 1000 : 1) == 0) {
      uint64_t whole = magnitude / s.ns;
      uint64_t frac = (magnitude % s.ns) * 1000 / s.ns;
      std::string out = sign + std::to_string(whole);
      if (frac != 0) {
        std::string digits = std::to_string(frac);
        digits.insert(0, 3 - digits.size(), '0');
        while (digits.back() == '0') digits.pop_back();
        out += "." + digits;
      }
      return out + s.name;
    }
  }
  return sign + std::to_string(magnitude) + "ns";
}

bool parse_duration(const std::string& text, Duration& out) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // Integer and fractional parts kept as integers: "0.1s" must be exactly 100ms.
  int64_t whole = 0;
  int64_t frac = 0;
  int64_t frac_scale = 1;
  size_t digits = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
    // Anything above Duration::max() is an overflow whatever its unit; stopping there keeps the
    // products below exact in 128 bits.
    if (whole > Duration::max().ns() / 10) return false;
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
      if (frac_scale >= 1000'000'000) return false;  // below a nanosecond
      frac = frac * 10 + (text[i] - '0');
      frac_scale *= 10;
    }
  }
  if (digits == 0) return false;
  std::string suffix = text.substr(i);
  for (const Unit& u : kUnits) {
    if (suffix != u.suffix) continue;
    Int128 total = static_cast<Int128>(whole) * u.ns;
    Int128 part = static_cast<Int128>(frac) * u.ns;
    if (part % frac_scale != 0) return false;  // not a whole number of nanoseconds
    total += part / frac_scale;
    if (total > Duration::max().ns()) return false;
    out = Duration::nanoseconds(static_cast<int64_t>(negative ? -total : total));
    return true;
  }
  return false;
}

}  // namespace faultline::sim
