// The bad-input contract of every command, as one check: exit 2 and exactly one line on standard
// error that names what was wrong (docs/limits.md).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "tests/command.hpp"

namespace faultline::testing {

inline void check_one_line_error(const CommandResult& r, const std::string& names) {
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find(names) != std::string::npos);
}

}  // namespace faultline::testing
