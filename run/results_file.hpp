#pragma once
// results.json (docs/outputs.md), as explore writes it and merge reads it back: every seed's
// run, then the counts. Read strictly: a run without its seed, counts that do not add up to the
// runs, or a seed another file already had (a shard merged twice) is one line naming the file
// and the field.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::run {

struct SeedCounts {
  uint64_t ok = 0;
  // By the first checker that fired, and "error"; ordered: the file must not depend on hashing.
  std::map<std::string, uint64_t> violations;
};

// Several results files as one.
struct MergedResults {
  std::string scenario;
  SeedCounts counts;
  std::vector<std::pair<uint64_t, nlohmann::json>> runs;  // (seed, run), in reading order
  nlohmann::json shards = nlohmann::json::array();
  std::set<uint64_t> seeds;
  size_t files_read = 0;

  // Adds one parsed results document. Throws protocols::ScenarioError.
  void add(const std::string& file, const nlohmann::json& document);
  // The merged document, runs in seed order.
  nlohmann::json document();
};

}  // namespace faultline::run
