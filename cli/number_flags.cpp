#include "cli/number_flags.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace faultline::cli {

std::string grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

bool parse_u64(std::string_view text, uint64_t& out) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

CLI::Validator non_negative_integer() {
  return CLI::Validator(
      [](std::string& text) {
        uint64_t ignored = 0;
        return parse_u64(text, ignored)
                   ? std::string()
                   : "expected an integer from 0 to 18446744073709551615, got \"" + text + "\"";
      },
      "UINT64");
}

std::optional<std::size_t> parse_bytes(const std::string& text) {
  static const std::pair<const char*, double> units[] = {
      {"B", 1},    {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
      {"KB", 1e3}, {"MB", 1e6},     {"GB", 1e9},        {"TiB", 1099511627776.0}};
  auto bytes = parse_with_unit(text, units, 1125899906842624.0);
  if (!bytes || *bytes < 1) return std::nullopt;
  return static_cast<std::size_t>(*bytes);
}

std::size_t default_max_memory() {
  constexpr std::size_t kCap = std::size_t{2} << 30;
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return kCap;
  return std::min(kCap, static_cast<std::size_t>(pages) / 2 * static_cast<std::size_t>(page));
}

}  // namespace faultline::cli
