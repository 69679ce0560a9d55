#pragma once

// Enough of EDN (https://github.com/edn-format/edn) to read any history Jepsen or Knossos writes,
// converted value by value to json so that the rest of the checker sees one representation:
//   nil -> null; true, false; integers (64-bit, a trailing N allowed) and floats (finite);
//   strings (valid UTF-8); keywords -> ":name" strings; symbols and characters -> strings;
//   vectors and lists -> arrays; sets -> arrays sorted by their JSON text (EDN prints a set in
//   hash order: equal sets must be equal values); maps -> objects whose keys are the keys' text
//   (":process" for a keyword); tagged values (#jepsen.history.Op{...}, #inst "...") -> the value.
// Comments (;) and discarded forms (#_) are skipped. Anything else is an InputError naming the
// file and line.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace faultline::checkers {

// Values nest at most this deep: deeper input is an error rather than a stack overflow (json
// values are copied and destroyed recursively).
inline constexpr int kMaxValueDepth = 100;

class EdnReader {
 public:
  EdnReader(std::string_view text, std::string source) : s_(text), source_(std::move(source)) {}

  // Skips blanks, commas, comments and discarded forms; true when nothing is left.
  bool at_end();
  // The next significant character; call after at_end() returned false.
  char peek() const { return s_[pos_]; }
  void consume() { ++pos_; }
  // Up to 40 characters from the next significant one, for error messages.
  std::string_view rest() const { return s_.substr(pos_, 40); }
  // 1-based line of the next significant character (after at_end()).
  std::size_t line() const { return line_; }
  // Reads one value.
  nlohmann::json read() { return read_value(0); }

 private:
  nlohmann::json read_value(int depth);
  nlohmann::json read_sequence(char close, int depth);
  nlohmann::json read_map(int depth);
  std::string read_string();
  std::string_view token();
  nlohmann::json number(std::string_view token);
  [[noreturn]] void fail(std::string_view expected, std::string_view got) const;
  void skip_blanks();

  std::string_view s_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view text);

}  // namespace faultline::checkers
