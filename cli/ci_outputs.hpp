#pragma once
// What explore and merge leave for CI besides results.json: `--junit FILE` (JUnit XML, written
// atomically), and when run by GitHub Actions (GITHUB_ACTIONS=true) an `::error` annotation per
// failing seed on standard output and the Markdown job summary appended to the file
// $GITHUB_STEP_SUMMARY names (run/ci_report.hpp renders all three).

#include <memory>
#include <string>

#include "run/ci_report.hpp"
#include "run/output_file.hpp"

namespace faultline::cli {

class CiOutputs {
 public:
  // Opens the --junit file's temporary now (`junit` empty: none), so that a path that cannot be
  // written fails before the seeds run, with exit 2 naming --junit.
  explicit CiOutputs(const std::string& junit);

  // Commits the JUnit file; under GitHub Actions prints the annotations and appends the summary.
  // A summary file that cannot be appended to is one line on standard error, not a failure: the
  // verdict is the exit code's.
  void write(const run::CiSummary& summary);

 private:
  std::unique_ptr<run::OutputFile> junit_;
};

// GITHUB_ACTIONS=true: the runner of GitHub Actions sets it in every step.
bool on_github_actions();

}  // namespace faultline::cli
