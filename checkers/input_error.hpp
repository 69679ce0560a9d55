#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace faultline::checkers {

// A history (or flag) that cannot be read. what() is exactly one line,
// `FILE:LINE: expected X, got Y`, so that `faultline check` can print it as is and exit 2:
// the user needs to know where to look and what we wanted, not a stack of parser internals.
class InputError : public std::runtime_error {
 public:
  InputError(std::string_view file, std::size_t line, std::string_view expected,
             std::string_view got)
      : std::runtime_error(format(file, line, expected, got)),
        file_(file),
        line_(line),
        expected_(expected),
        got_(got) {}

  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }
  const std::string& expected() const { return expected_; }
  const std::string& got() const { return got_; }

  // The same error, attributed to `file` (models report lines but do not know file names).
  InputError in_file(std::string_view file) const { return {file, line_, expected_, got_}; }

 private:
  static std::string format(std::string_view file, std::size_t line, std::string_view expected,
                            std::string_view got) {
    std::string out;
    out += file.empty() ? std::string_view("<history>") : file;
    out += ':';
    out += std::to_string(line);
    out += ": expected ";
    out += expected;
    out += ", got ";
    // Inputs can contain anything; keep the message on one line and of readable length.
    std::string shown;
    for (char c : got) {
      if (c == '\n' || c == '\r') {
        shown += ' ';
      } else {
        shown += c;
      }
      if (shown.size() > 120) {
        shown += "...";
        break;
      }
    }
    out += shown.empty() ? std::string("nothing") : shown;
    return out;
  }

  std::string file_;
  std::size_t line_;
  std::string expected_;
  std::string got_;
};

}  // namespace faultline::checkers
