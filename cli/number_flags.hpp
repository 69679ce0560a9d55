#pragma once
// Numbers on the command line, read strictly: "-1" is not a seed (it would wrap to 2^64-1),
// "2/3" is not a shard count, "5x" is not a budget.

#include <cstdint>
#include <string_view>

#include <CLI/CLI.hpp>

namespace faultline::cli {

// Decimal digits only, within 0..2^64-1.
bool parse_u64(std::string_view text, uint64_t& out);

// For an option whose value is a non-negative integer (a seed, a budget).
CLI::Validator non_negative_integer();

}  // namespace faultline::cli
