#pragma once
// Numbers on the command line, read strictly: "-1" is not a seed (it would wrap to 2^64-1),
// "2/3" is not a shard count, "5x" is not a budget.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>

namespace faultline::cli {

// 1234567 -> "1,234,567": state counts are read by people.
std::string grouped(uint64_t n);

// Decimal digits only, within 0..2^64-1.
bool parse_u64(std::string_view text, uint64_t& out);

// For an option whose value is a non-negative integer (a seed, a budget).
CLI::Validator non_negative_integer();

// "123" or "1.5" followed by a unit from `units`, finite and positive, at most `max` once scaled;
// nullopt otherwise ("inf", "nan", negative and zero values included: a bound of zero or
// infinity is said with "none").
template <std::size_t N>
std::optional<double> parse_with_unit(const std::string& text,
                                      const std::pair<const char*, double> (&units)[N],
                                      double max) {
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || !std::isfinite(number) || !(number > 0)) return std::nullopt;
  std::string unit(end, text.data() + text.size());
  for (const auto& [name, scale] : units) {
    if (unit == name && number * scale <= max) return number * scale;
  }
  return std::nullopt;
}

// Sizes like "512MiB" or "2GiB", up to 1 PiB; nullopt for anything else.
std::optional<std::size_t> parse_bytes(const std::string& text);

// The default bound on search memory (`check`, and `explore` of a spec-level model): half the
// machine's physical memory, at most 2 GiB, so that a search that explodes ends as "unknown" and
// not in the kernel's OOM killer.
std::size_t default_max_memory();

}  // namespace faultline::cli
