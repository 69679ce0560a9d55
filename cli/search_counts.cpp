#include "cli/search_counts.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli/number_flags.hpp"

namespace faultline::cli {

std::string state_counts(uint64_t distinct, uint64_t generated, uint64_t depth) {
  return grouped(distinct) + " distinct states, " + grouped(generated) + " generated, depth " +
         std::to_string(depth);
}

std::string wall_and_rate(double seconds, uint64_t generated) {
  std::ostringstream out;
  out << seconds << " s wall, "
      << grouped(static_cast<uint64_t>(static_cast<double>(generated) / std::max(seconds, 1e-9)))
      << " states/s generated";
  return out.str();
}

void draw_search_progress(uint64_t distinct, uint64_t generated, uint64_t depth) {
  std::cerr << "\r  " << grouped(distinct) << " distinct, " << grouped(generated)
            << " generated, depth " << depth << "   " << std::flush;
}

void clear_search_progress() {
  std::cerr << "\r\033[K" << std::flush;
}

}  // namespace faultline::cli
