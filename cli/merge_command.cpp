// `faultline merge A/results.json B/results.json`: the results of several explore shards as one
// (run/results_file.hpp reads them strictly), and from them the CI outputs explore writes
// (--junit; GitHub's annotations and job summary: cli/ci_outputs).
#include <iostream>
#include <memory>

#include "cli/ci_outputs.hpp"
#include "cli/commands.hpp"
#include "cli/results_counts.hpp"
#include "protocols/params.hpp"
#include "run/ci_report.hpp"
#include "run/json_input.hpp"
#include "run/output_file.hpp"
#include "run/results_file.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

struct MergeFlags {
  std::vector<std::string> files;
  std::string out;
  std::string junit;
};

// The `--set` overrides a shard ran with (absent in files of older versions: none). Every shard
// must have run the same ones: the reproduce commands repeat them.
std::vector<std::string> read_overrides(const std::string& file, const nlohmann::json& document,
                                        const std::vector<std::string>* others) {
  std::vector<std::string> set;
  if (const auto it = document.find("set"); it != document.end()) {
    bool strings = it->is_array();
    for (const nlohmann::json& o : strings ? *it : nlohmann::json::array()) {
      strings = strings && o.is_string();
      if (strings) set.push_back(o.get<std::string>());
    }
    if (!strings) {
      throw protocols::ScenarioError(file, "set", "an array of --set overrides",
                                     protocols::describe_json(*it));
    }
  }
  if (others && set != *others) {
    throw protocols::ScenarioError(
        file, "set",
        "the --set overrides of the other shards (" + nlohmann::json(*others).dump() + ")",
        nlohmann::json(set).dump());
  }
  return set;
}

int merge(const MergeFlags& flags) {
  // Before reading: a bad --out or --junit fails at once.
  if (!flags.out.empty()) require_replaceable(flags.out);
  CiOutputs ci(flags.junit);
  MergedResults merged;
  std::vector<std::string> overrides;
  for (const std::string& file : flags.files) {
    const nlohmann::json document =
        read_json_file(file, "a results.json written by faultline explore");
    merged.add(file, document);
    overrides = read_overrides(file, document, merged.files_read > 1 ? &overrides : nullptr);
  }
  std::cout << "faultline merge: " << flags.files.size() << " shards, " << merged.runs.size()
            << " runs\n";
  print_counts(merged.counts);
  if (!flags.out.empty()) {
    nlohmann::json document = merged.document();
    document["set"] = overrides;
    write_file_atomically(flags.out, document.dump(2) + "\n");
  }
  CiSummary summary(merged.scenario, overrides);
  for (const auto& [seed, run] : merged.runs) summary.add_run(run);
  if (!flags.junit.empty()) std::cout << "  junit    " << flags.junit << "\n";
  ci.write(summary);
  return merged.counts.violations.empty() ? kExitOk : kExitViolation;
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge the results.json of several explore shards");
  cmd->add_option("results", flags->files, "results.json files")->required();
  cmd->add_option("--out", flags->out, "Write the merged results here");
  cmd->add_option("--junit", flags->junit,
                  "Also write JUnit XML here, as explore --junit does (GITHUB_ACTIONS=true: "
                  "annotations and a job summary too)");
  cmd->callback([flags, &exit_code] { exit_code = merge(*flags); });
}

}  // namespace faultline::cli
