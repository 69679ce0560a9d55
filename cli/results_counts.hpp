#pragma once
// How explore and merge print the counts of a results.json.

#include <cstdint>
#include <iostream>

#include "run/results_file.hpp"

namespace faultline::cli {

inline void print_counts(const run::SeedCounts& counts, uint64_t runs) {
  std::cout << "  ok: " << counts.ok << "\n";
  if (counts.unknown > 0) {
    std::cout << "  unknown: " << counts.unknown
              << " (a checker gave up before a verdict: not a pass)\n";
  }
  for (const auto& [name, count] : counts.violations) {
    std::cout << "  " << name << ": " << count << "\n";
  }
  // A property no run reached says the runs never got where the checkers matter.
  for (const auto& [name, reached] : counts.sometimes) {
    std::cout << "  sometimes \"" << name << "\": ";
    if (reached)
      std::cout << "reached in " << reached << " of " << runs << " runs\n";
    else
      std::cout << "NEVER reached in " << runs << " runs\n";
  }
}

}  // namespace faultline::cli
