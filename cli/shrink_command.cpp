// faultline shrink: a failing seed of a scenario, reduced to a minimal explicit fault timeline
// (run/timeline_shrink.hpp), written as a scenario file and run once for its trace and diagram.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "base/format_ns.hpp"
#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/run_command.hpp"
#include "cli/shrink_report.hpp"
#include "protocols/params.hpp"
#include "run/explore.hpp"
#include "run/output_file.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

struct ShrinkFlags {
  std::string file;
  std::optional<uint64_t> seed;  // default: the scenario's own seed
  std::string checker;
  std::vector<std::string> set;
  size_t budget = 500;
  std::string out;
};

int shrink(const ShrinkFlags& flags) {
  Scenario scenario = load_scenario(flags.file, flags.set);
  const uint64_t seed = flags.seed.value_or(scenario.seed);
  std::string checker = flags.checker;
  if (!checker.empty()) {
    std::vector<std::string> known = scenario_checkers(scenario);
    if (std::find(known.begin(), known.end(), checker) == known.end()) {
      std::string names;
      for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
      throw protocols::ScenarioError(flags.file, "--checker",
                                     "a checker this scenario runs (" + names + ")",
                                     "\"" + checker + "\"");
    }
  }
  if (checker.empty()) {
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    if (outcome.violations.empty()) {
      std::cout << "faultline shrink: " << scenario.file << " --seed " << seed
                << " violates nothing; nothing to shrink\n";
      return kExitOk;
    }
    checker = outcome.violations.front().checker;
  }
  TimelineMeasure t = shrink_seed_timeline(scenario, seed, checker, flags.budget);
  const TimelineShrinkResult& r = t.shrink;
  std::cout << "faultline shrink: " << scenario.file << " --seed " << seed << ", " << checker
            << "\n";
  if (!r.reproduced || !t.before || !t.after) {
    std::cout << "  the run's faults as an explicit timeline do not make " << checker
              << " fire (or the seed does not violate it); shrink its choice tape instead:\n"
              << "  faultline explore " << scenario.file << " --seeds " << seed << ".." << seed
              << " --shrink\n";
    return kExitViolation;
  }
  std::cout << "  timeline: " << r.faults_before << " -> " << r.faults_after
            << " entries, duration " << format_ns(r.duration_before_ns) << " -> "
            << format_ns(r.duration_after_ns) << " (" << r.replays << " replays)\n"
            << "  run: " << before_after(*t.before, *t.after)
            << (sim::explore::no_larger(t.after->size, t.before->size)
                    ? ""
                    : " (larger than the seed's run: not a shrink)")
            << "\n";
  std::string out = flags.out.empty() ? "faultline-out/" + scenario.name + "/shrunk-seed-" +
                                            std::to_string(seed) + ".json"
                                      : flags.out;
  return write_and_run_minimal_scenario(r.scenario, out);
}

}  // namespace

void add_shrink_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ShrinkFlags>();
  CLI::App* cmd = app.add_subcommand(
      "shrink", "Reduce a failing seed to a minimal explicit fault timeline (a scenario file)");
  cmd->add_option("scenario", flags->file, "Scenario file (JSON)")->required();
  cmd->add_option("--seed", flags->seed, "The failing seed (default: the scenario's seed)")
      ->check(non_negative_integer());
  cmd->add_option("--checker", flags->checker,
                  "The violation to keep (default: the first the seed shows)");
  cmd->add_option("--set", flags->set, "Override a scenario field, as for run (repeatable)");
  cmd->add_option("--budget", flags->budget, "Replays allowed (default 500)")
      ->check(non_negative_integer());
  cmd->add_option("--out", flags->out,
                  "Where to write the shrunk scenario (default "
                  "faultline-out/NAME/shrunk-seed-N.json)");
  cmd->callback([flags, &exit_code] { exit_code = shrink(*flags); });
}

}  // namespace faultline::cli
