#pragma once
// The lines every exhaustive search prints about its size, whatever it searched (a spec-level
// model or a protocol's implementation), so that the two read and parse alike.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/shard.hpp"

namespace faultline::cli {

// "27,504 distinct states, 68,111 generated, depth 11"
std::string state_counts(uint64_t distinct, uint64_t generated, uint64_t depth);

// "6.1 s wall, 36,005 states/s generated"
std::string wall_and_rate(double seconds, uint64_t generated);

// The summary's `sometimes` (spec::sometimes_json), a line each:
//   sometimes "an RM commits": reached at depth 7
//   sometimes "a transaction aborts": NEVER reached
// and, after a search that checked every reachable state without a violation, a warning for each
// property never reached: no reachable state satisfies it, so "no violation" may be vacuous.
void print_sometimes(const nlohmann::json& sometimes, bool exhausted, bool violated);

// The summary's `shard` (spec::shard_json), when the search is one of several shards:
// "shard 2/4: split at depth 6: 31 of the 120 states there are this shard's; ..." (empty for 1/1).
std::string shard_words(const nlohmann::json& shard);

// Where a search writes by default, under faultline-out/NAME/: "search", or one directory per
// shard, "search-shard-2-of-4", so that shards run side by side do not overwrite each other.
std::string search_dir_name(const SearchShard& shard);

// The progress line on a terminal: rewrites itself ('\r') on standard error.
void draw_search_progress(uint64_t distinct, uint64_t generated, uint64_t depth);

// Clears the progress line once the search is over.
void clear_search_progress();

}  // namespace faultline::cli
