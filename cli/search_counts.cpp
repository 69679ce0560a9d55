#include "cli/search_counts.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "base/shard.hpp"
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

void print_sometimes(const nlohmann::json& sometimes, bool exhausted, bool violated) {
  for (auto it = sometimes.begin(); it != sometimes.end(); ++it) {
    std::cout << "  sometimes \"" << it.key() << "\": "
              << (it.value()["reached"].get<bool>()
                      ? "reached at depth " + std::to_string(it.value()["depth"].get<uint64_t>())
                      : "NEVER reached")
              << "\n";
  }
  if (!exhausted || violated) return;
  for (auto it = sometimes.begin(); it != sometimes.end(); ++it) {
    if (it.value()["reached"].get<bool>()) continue;
    std::cout << "  WARNING: no reachable state satisfies sometimes \"" << it.key()
              << "\": the search passed without reaching it (a vacuous pass?)\n";
  }
}

std::string shard_words(const nlohmann::json& shard) {
  const uint64_t count = shard["count"].get<uint64_t>();
  if (count <= 1) return "";
  std::string out = "shard " + std::to_string(shard["index"].get<uint64_t>()) + "/" +
                    std::to_string(count) + ": ";
  if (shard["split_depth"].is_null()) {
    return out + "no level had " + grouped(SearchShard::kSplitWidth * count) +
           " states to split at: this shard searched every state";
  }
  return out + "split at depth " + std::to_string(shard["split_depth"].get<uint64_t>()) + ": " +
         grouped(shard["owned"].get<uint64_t>()) + " of the " +
         grouped(shard["split_states"].get<uint64_t>()) +
         " states there are this shard's; a state reachable from two shards' is counted by both";
}

std::string search_dir_name(const SearchShard& shard) {
  if (!shard.sharded()) return "search";
  return "search-shard-" + std::to_string(shard.index + 1) + "-of-" + std::to_string(shard.count);
}

void draw_search_progress(uint64_t distinct, uint64_t generated, uint64_t depth) {
  std::cerr << "\r  " << grouped(distinct) << " distinct, " << grouped(generated)
            << " generated, depth " << depth << "   " << std::flush;
}

void clear_search_progress() {
  std::cerr << "\r\033[K" << std::flush;
}

}  // namespace faultline::cli
