#include "run/results_file.hpp"

#include <algorithm>

#include "protocols/params.hpp"
#include "run/scenario.hpp"

namespace faultline::run {
namespace {

uint64_t read_count(protocols::Fields& f, const std::string& key, uint64_t most) {
  const nlohmann::json* v = f.raw(key);
  if (!v || !v->is_number_unsigned() || v->get<uint64_t>() > most) {
    f.fail(key, "a count of runs from 0 to " + std::to_string(most));
  }
  return v->get<uint64_t>();
}

}  // namespace

void MergedResults::add(const std::string& file, const nlohmann::json& document) {
  protocols::Fields f(document, file, "");
  std::string name = f.required_string("scenario");
  if (files_read > 0 && name != scenario) {
    f.fail("scenario", "the same scenario as the other shards (\"" + scenario + "\")");
  }
  const nlohmann::json* file_runs = f.raw("runs");
  if (!file_runs || !file_runs->is_array()) f.fail("runs", "an array of runs");
  for (size_t i = 0; i < file_runs->size(); ++i) {
    protocols::Fields run((*file_runs)[i], file, "runs[" + std::to_string(i) + "]");
    if (!run.has("seed")) run.fail("seed", "a seed (this field is required)");
    uint64_t seed = read_seed(run, "seed", 0);
    if (!seeds.insert(seed).second) {
      run.fail("seed", "a seed no other results file has (each shard merged once)");
    }
    runs.emplace_back(seed, (*file_runs)[i]);
  }
  // The counts must add up to the runs: a hand-edited file could otherwise wrap the totals.
  const uint64_t total = file_runs->size();
  const uint64_t ok = read_count(f, "ok", total);
  uint64_t counted = ok;
  const nlohmann::json* by_checker = f.raw("violations");
  if (!by_checker || !by_checker->is_object()) {
    f.fail("violations", "an object of run counts by checker");
  }
  protocols::Fields violations(*by_checker, file, "violations");
  for (const auto& [checker, count] : by_checker->items()) {
    counted += read_count(violations, checker, total - counted);
  }
  if (counted != total) {
    f.fail("ok", "with the violations, one count per run (" + std::to_string(total) + ")");
  }
  for (const auto& [checker, count] : by_checker->items()) {
    counts.violations[checker] += count.get<uint64_t>();
  }
  counts.ok += ok;
  shards.push_back(document.value("shard", nlohmann::json()));
  scenario = name;
  ++files_read;
}

nlohmann::json MergedResults::document() {
  std::stable_sort(runs.begin(), runs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  nlohmann::json all = nlohmann::json::array();
  for (const auto& [seed, run] : runs) all.push_back(run);
  return {{"scenario", scenario},
          {"ok", counts.ok},
          {"violations", counts.violations},
          {"runs", std::move(all)},
          {"shards", shards}};
}

}  // namespace faultline::run
