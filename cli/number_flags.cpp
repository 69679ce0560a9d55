#include "cli/number_flags.hpp"

#include <charconv>
#include <string>

namespace faultline::cli {

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

}  // namespace faultline::cli
