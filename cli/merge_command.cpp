// `faultline merge A/results.json B/results.json`: the results of several explore shards as one
// (run/results_file.hpp reads them strictly), and from them the CI outputs explore writes
// (--junit; GitHub's annotations and job summary: cli/ci_outputs). Given the search.json of an
// exhaustive search's shards instead, their counts summed (run/search_merge.hpp).
#include <iostream>
#include <memory>

#include "cli/ci_outputs.hpp"
#include "cli/commands.hpp"
#include "cli/results_counts.hpp"
#include "cli/search_counts.hpp"
#include "protocols/params.hpp"
#include "run/ci_report.hpp"
#include "run/output_file.hpp"
#include "run/results_file.hpp"
#include "run/search_merge.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

struct MergeFlags {
  std::vector<std::string> files;
  std::string out;
  std::string junit;
};

// The shards of an exhaustive search (run/search_merge.hpp): their counts summed, printed, and
// with --out written.
int merge_search(const MergeFlags& flags) {
  if (!flags.junit.empty()) {
    throw protocols::ScenarioError("--junit", "",
                                   "it only when merging seed sweeps' results.json (a search "
                                   "is one result: CI reads its merged JSON)",
                                   "--junit");
  }
  nlohmann::json merged = merge_search_files(flags.files);
  std::cout << "faultline merge: " << flags.files.size() << " shards of an exhaustive search of "
            << merged["scenario"].get<std::string>() << "\n";
  for (const nlohmann::json& shard : merged["shards"]) {
    std::cout << "  shard " << shard["index"].get<uint64_t>() << "/" << flags.files.size() << ": "
              << state_counts(shard["distinct_states"].get<uint64_t>(),
                              shard["generated_states"].get<uint64_t>(),
                              shard["depth"].get<uint64_t>())
              << ": "
              << (shard["exhausted"].get<bool>()
                      ? std::string("exhausted")
                      : "NOT exhausted: cut by " + shard["cut_by"].get<std::string>())
              << "\n";
  }
  const bool exhausted = merged["exhausted"].get<bool>();
  const bool violated = merged["violation"].is_object();
  std::cout << "  summed: "
            << state_counts(merged["distinct_states_sum"].get<uint64_t>(),
                            merged["generated_states"].get<uint64_t>(),
                            merged["depth"].get<uint64_t>())
            << " (a state reachable from two shards' states is counted by both): "
            << (exhausted  ? "exhausted (every shard checked every state it reached)"
                : violated ? "stopped at the first violation"
                           : "NOT exhausted: cut by " + merged["cut_by"].get<std::string>())
            << "\n";
  if (merged["split_depth"].is_null()) {
    std::cout << "  no level was wide enough to split at: each shard searched every state\n";
  }
  print_sometimes(merged["sometimes"], exhausted, violated);
  if (violated) {
    const nlohmann::json& v = merged["violation"];
    const std::string what = v.contains("invariant") ? v["invariant"].get<std::string>()
                                                     : v.value("checker", std::string("?"));
    std::cout << "  VIOLATION " << what << " found by shard " << v["shard"].get<uint64_t>();
    if (v.contains("steps")) std::cout << " in " << v["steps"].get<uint64_t>() << " steps";
    if (v.contains("path")) std::cout << " in " << v["path"].size() << " states";
    std::cout << " (the shortest any shard found)\n";
  } else {
    std::cout << "  no violation\n";
  }
  if (!flags.out.empty()) {
    write_file_atomically(flags.out, merged.dump(2) + "\n");
    std::cout << "  results  " << flags.out << "\n";
  }
  if (violated) return kExitViolation;
  // A shard the memory bound cut could not decide: neither can the whole.
  for (const nlohmann::json& shard : merged["shards"]) {
    if (shard["cut_by"] == "max-memory") return kExitUnknown;
  }
  return kExitOk;
}

int merge(const MergeFlags& flags) {
  // Before reading: a bad --out or --junit fails at once.
  if (!flags.out.empty()) require_replaceable(flags.out);
  CiOutputs ci(flags.junit);
  if (!flags.files.empty() && is_search_summary_file(flags.files.front())) {
    return merge_search(flags);
  }
  // Reads and checks every file (their --set overrides must agree): every error comes before
  // any output.
  MergedResults merged(flags.files);
  std::cout << "faultline merge: " << flags.files.size() << " shards, " << merged.runs()
            << " runs\n";
  print_counts(merged.counts(), merged.runs());
  if (!flags.out.empty()) merged.write(flags.out);
  CiSummary summary(merged.scenario(), merged.overrides());
  merged.for_each_run([&](uint64_t, const nlohmann::json& run) { summary.add_run(run); });
  if (!flags.junit.empty()) std::cout << "  junit    " << flags.junit << "\n";
  ci.write(summary);
  if (!merged.counts().violations.empty()) return kExitViolation;
  return merged.counts().unknown > 0 ? kExitUnknown : kExitOk;
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "merge",
      "Merge the results.json of several explore shards, or the search.json of an exhaustive "
      "search's shards");
  cmd->add_option("results", flags->files, "results.json files, or search.json files")->required();
  cmd->add_option("--out", flags->out, "Write the merged results here");
  cmd->add_option("--junit", flags->junit,
                  "Also write JUnit XML here, as explore --junit does (GITHUB_ACTIONS=true: "
                  "annotations and a job summary too)");
  cmd->callback([flags, &exit_code] { exit_code = merge(*flags); });
}

}  // namespace faultline::cli
