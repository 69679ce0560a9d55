#pragma once
// How explore and merge print the counts of a results.json.

#include <iostream>

#include "run/results_file.hpp"

namespace faultline::cli {

inline void print_counts(const run::SeedCounts& counts) {
  std::cout << "  ok: " << counts.ok << "\n";
  for (const auto& [name, count] : counts.violations) {
    std::cout << "  " << name << ": " << count << "\n";
  }
}

}  // namespace faultline::cli
