#pragma once
// The lines every exhaustive search prints about its size, whatever it searched (a spec-level
// model or a protocol's implementation), so that the two read and parse alike.

#include <cstdint>
#include <string>

namespace faultline::cli {

// "91,844 distinct states, 219,635 generated, depth 10"
std::string state_counts(uint64_t distinct, uint64_t generated, uint64_t depth);

// "6.1 s wall, 36,005 states/s generated"
std::string wall_and_rate(double seconds, uint64_t generated);

// The progress line on a terminal: rewrites itself ('\r') on standard error.
void draw_search_progress(uint64_t distinct, uint64_t generated, uint64_t depth);

// Clears the progress line once the search is over.
void clear_search_progress();

}  // namespace faultline::cli
