#pragma once
// One results.json (docs/outputs.md) read as a stream, for `faultline merge`: its runs are handed
// on one at a time as the parser meets them, so a file of any size is read in bounded memory
// (docs/limits.md). Read as strictly as run/json_input.hpp reads a whole document (nesting, a key
// twice, UTF-8, numbers, anything after the document), and then as results: a run without its
// seed, runs out of seed order, counts that do not fit the runs. Each is one line naming the
// file and the field.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/results_file.hpp"

namespace faultline::run {

// One run's JSON text: explore writes ~60 bytes a run (more with an error's message).
constexpr size_t kMaxResultsRunBytes = size_t{1} << 20;
// Everything in the file but its runs: explore writes a few hundred bytes; a merged file lists
// its shards, ~60 bytes each, so this takes one of 100,000 shards (the most --shard makes) and
// more.
constexpr size_t kMaxResultsHeadBytes = size_t{16} << 20;

// A results file but its runs.
struct ResultsHead {
  std::string scenario;
  SeedCounts counts;
  nlohmann::json shard;  // as the file has it; null when it has none
  uint64_t runs = 0;
  // The `--set` overrides explore ran with (none in files written before it recorded them).
  std::vector<std::string> set;
};

// `index` is the run's place in the file's "runs" (for errors). Its seeds come in increasing order.
using ResultsRunSink =
    std::function<void(uint64_t seed, uint64_t index, const nlohmann::json& run)>;

// Reads `file`, handing each run to `on_run` in file order. `scenario`, when not null, is the
// scenario the file must name (the other shards'). A file found wrong past its first runs has
// already handed those on: the caller discards them with the error. Throws
// protocols::ScenarioError.
ResultsHead read_results_file(const std::string& file, const std::string* scenario,
                              const ResultsRunSink& on_run);

}  // namespace faultline::run
