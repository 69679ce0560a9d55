// `faultline merge A/results.json B/results.json`: the results of several explore shards as one
// (run/results_file.hpp reads them strictly).
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/results_counts.hpp"
#include "run/output_file.hpp"
#include "run/results_file.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

int merge(const std::vector<std::string>& files, const std::string& out) {
  if (!out.empty()) require_replaceable(out);  // before reading: a bad --out fails at once
  MergedResults merged(files);  // reads and checks them all: every error comes before output
  std::cout << "faultline merge: " << files.size() << " shards, " << merged.runs() << " runs\n";
  print_counts(merged.counts());
  if (!out.empty()) merged.write(out);
  return merged.counts().violations.empty() ? kExitOk : kExitViolation;
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge the results.json of several explore shards");
  cmd->add_option("results", *files, "results.json files")->required();
  cmd->add_option("--out", *out, "Write the merged results here");
  cmd->callback([files, out, &exit_code] { exit_code = merge(*files, *out); });
}

}  // namespace faultline::cli
