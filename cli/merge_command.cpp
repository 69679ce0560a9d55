// `faultline merge A/results.json B/results.json`: the results of several explore shards as one
// (run/results_file.hpp reads them strictly), and from them the CI outputs explore writes
// (--junit; GitHub's annotations and job summary: cli/ci_outputs).
#include <iostream>
#include <memory>

#include "cli/ci_outputs.hpp"
#include "cli/commands.hpp"
#include "cli/results_counts.hpp"
#include "run/ci_report.hpp"
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

int merge(const MergeFlags& flags) {
  // Before reading: a bad --out or --junit fails at once.
  if (!flags.out.empty()) require_replaceable(flags.out);
  CiOutputs ci(flags.junit);
  // Reads and checks every file (their --set overrides must agree): every error comes before
  // any output.
  MergedResults merged(flags.files);
  std::cout << "faultline merge: " << flags.files.size() << " shards, " << merged.runs()
            << " runs\n";
  print_counts(merged.counts());
  if (!flags.out.empty()) merged.write(flags.out);
  CiSummary summary(merged.scenario(), merged.overrides());
  merged.for_each_run([&](uint64_t, const nlohmann::json& run) { summary.add_run(run); });
  if (!flags.junit.empty()) std::cout << "  junit    " << flags.junit << "\n";
  ci.write(summary);
  return merged.counts().violations.empty() ? kExitOk : kExitViolation;
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
