#pragma once
// Property tests over seeds, for any test framework: "this scenario holds over seeds 1..N" and
// "this bug is found within N seeds". A failure's message names the seed, what fired, the command
// that reproduces it, and the run's trace, diagram and report, which are kept on disk (the CI
// artifacts). include/faultline/doctest.hpp and include/faultline/gtest.hpp wrap these as
// assertions.

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::run {

struct PropertyOptions {
  uint64_t first_seed = 1;
  uint64_t seeds = 100;                // how many seeds, from first_seed on
  std::vector<std::string> overrides;  // `--set key=value` pairs applied to the scenario
  // Where a failing run's files go: DIR/<scenario>/seed-<N>/. The environment variable
  // FAULTLINE_ARTIFACTS, when set, takes precedence (CI points it at its artifact folder).
  std::string artifacts = "faultline-artifacts";
};

struct PropertyVerdict {
  bool passed = false;
  uint64_t seed = 0;       // the failing seed (holds), or the finding seed (found)
  std::string message;     // why it failed, with the reproduce command and the files
  std::string output_dir;  // where the run's files were written, if any
};

// Passes when no checker fires on any seed; stops at the first seed that breaks.
PropertyVerdict holds_over_seeds(const std::string& scenario_file,
                                 const PropertyOptions& options = {});

// Passes when `checker` fires on some seed (stopping there); the message has the reproduce
// command. A failure keeps no files: no run showed the bug.
PropertyVerdict found_within_seeds(const std::string& scenario_file, const std::string& checker,
                                   const PropertyOptions& options = {});

}  // namespace faultline::run
