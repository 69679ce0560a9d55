#include "run/property.hpp"

#include <cstdlib>

#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::run {
namespace {

std::string artifacts_dir(const PropertyOptions& options) {
  const char* from_env = std::getenv("FAULTLINE_ARTIFACTS");
  return from_env && *from_env ? from_env : options.artifacts;
}

std::string seed_range(const PropertyOptions& options) {
  return std::to_string(options.first_seed) + ".." +
         std::to_string(options.first_seed + options.seeds - 1);
}

// Runs `seed` again with every output written, and says where they are.
PropertyVerdict keep_failing_run(const Scenario& scenario, uint64_t seed,
                                 const PropertyOptions& options, const std::string& headline) {
  RunFiles files(artifacts_dir(options) + "/" + scenario.name + "/seed-" + std::to_string(seed),
                 true);
  RunOptions run_options;
  run_options.seed = seed;
  run_options.record_tape = true;
  RunOutcome outcome = run_with_outputs(scenario, run_options, options.overrides, files);
  PropertyVerdict verdict{false, seed, headline, files.dir};
  for (const Finding& v : outcome.violations) {
    verdict.message += "\n  " + v.checker + ": " + v.message;
  }
  verdict.message += "\n  reproduce: " + reproduce_command(scenario, options.overrides, seed) +
                     "\n  trace    " + files.trace + "\n  diagram  " + files.svg + "\n  report   " +
                     files.report;
  return verdict;
}

}  // namespace

PropertyVerdict holds_over_seeds(const std::string& scenario_file, const PropertyOptions& options) {
  const Scenario scenario = load_scenario(scenario_file, options.overrides);
  for (uint64_t i = 0; i < options.seeds; ++i) {
    const uint64_t seed = options.first_seed + i;
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    if (!outcome.violations.empty()) {
      return keep_failing_run(scenario, seed, options,
                              scenario_file + " broke at seed " + std::to_string(seed) + " of " +
                                  seed_range(options) + ":");
    }
  }
  return {true, 0, scenario_file + " held over seeds " + seed_range(options), ""};
}

PropertyVerdict found_within_seeds(const std::string& scenario_file, const std::string& checker,
                                   const PropertyOptions& options) {
  const Scenario scenario = load_scenario(scenario_file, options.overrides);
  for (uint64_t i = 0; i < options.seeds; ++i) {
    const uint64_t seed = options.first_seed + i;
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    for (const Finding& v : outcome.violations) {
      if (v.checker == checker) {
        // A found bug is the test passing: nothing to keep, only how to see it again.
        return {true, seed,
                checker + " found at seed " + std::to_string(seed) + " of " + scenario_file +
                    "\n  reproduce: " + reproduce_command(scenario, options.overrides, seed),
                ""};
      }
    }
  }
  return {false, 0,
          checker + " never fired on " + scenario_file + " over seeds " + seed_range(options), ""};
}

}  // namespace faultline::run
