#pragma once
// What a run leaves behind in its output directory (docs/outputs.md): the summary (JSON), the
// diagram (DOT and SVG), the HTML report and the choice tape. The trace itself is streamed by
// the runner while the world runs.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::run {

struct RunFiles {
  std::string dir;
  std::string trace, summary, dot, svg, report, tape;
  explicit RunFiles(const std::string& directory);
  // Throws protocols::ScenarioError when one of them could not be replaced (run/output_file.hpp).
  void require_replaceable() const;
};

// The command that reproduces the run, the last line of a failing run's output.
std::string reproduce_command(const Scenario& scenario, const std::vector<std::string>& overrides,
                              uint64_t seed);

nlohmann::json run_summary(const Scenario& scenario, const RunOutcome& outcome,
                           const std::string& reproduce, const RunFiles* files);

// The tape file: enough to replay the run exactly (scenario, overrides, seed, choices, hash).
nlohmann::json tape_document(const Scenario& scenario, const std::vector<std::string>& overrides,
                             const RunOutcome& outcome);

// Writes summary, DOT, SVG, report and tape (each atomically). A diagram that Graphviz cannot
// render leaves the DOT and a note in the report; it does not fail the run.
void write_run_outputs(const Scenario& scenario, const std::vector<std::string>& overrides,
                       const RunOutcome& outcome, const RunFiles& files, bool diagram);

}  // namespace faultline::run
