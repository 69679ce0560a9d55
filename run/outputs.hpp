#pragma once
// What a run leaves behind in its output directory (docs/outputs.md): the summary (JSON), the
// diagram (DOT and SVG), the HTML report, the choice tape and the clients' history. The trace
// itself is streamed by the runner while the world runs.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/spacetime_diagram.hpp"
#include "reports/step_through.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::run {

// The rows of a violation's causal slice a diagram draws by default: a screenful that still
// reaches back to the decisive events once routine repeats are folded (docs/diagrams.md).
constexpr size_t kDiagramEvents = 60;

// The files of one run. A path is empty when its file is not written: the diagrams (DOT, SVG,
// Mermaid, the ShiViz log) without a diagram, the SVG when Graphviz could not render it.
struct RunFiles {
  std::string dir;
  std::string trace, summary, dot, svg, mermaid, shiviz, report, tape;
  // The clients' history (checkers/history_formats.hpp's jsonl), which `faultline check --model
  // M` reads back; cleared when the protocol records none.
  std::string history;
  // The most rows the diagram of a violation draws of its causal slice (0: all of it).
  size_t diagram_events = kDiagramEvents;
  // The most recent events the report's step-through carries, besides the causal slice and the
  // story (0: every event; reports/step_through.hpp).
  size_t step_events = reports::kStepEvents;
  RunFiles(const std::string& directory, bool diagram);
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

// What the diagram of `outcome` focuses on: the causal slice of its violations (the runs without
// one: their last events); every violation's nodes leftmost, its box at its time, and the events
// it is about highlighted.
reports::DiagramFocus diagram_focus(const RunOutcome& outcome);

// The events a Mermaid diagram shows at most: GitHub renders a few hundred arrows slowly and
// clips long diagrams, and the story of a failure is in its last steps.
constexpr size_t kMermaidEvents = 100;

// The Mermaid sequence diagram of a run kept with its trace (RunOptions::keep_trace): its first
// kMermaidEvents rows of its violations' causal slice, titled with the scenario, variant and seed.
std::string mermaid_diagram(const Scenario& scenario, const RunOutcome& outcome);

// Writes summary, DOT, SVG, Mermaid, report and tape (each atomically; the diagram's only when
// `files` names them). A diagram that Graphviz cannot render leaves the DOT and a note in the
// report, and clears files.svg; it does not fail the run. The summary lists the files written.
// The report tells outcome.story, or the story of the outcome's trace when it holds none.
void write_run_outputs(const Scenario& scenario, const std::vector<std::string>& overrides,
                       const RunOutcome& outcome, RunFiles& files);

// One run with every output: creates files.dir, streams the trace into files.trace while the
// world runs, then writes the rest (write_run_outputs). `options.trace_out` is set here, and the
// trace is kept in memory for the diagram when `files` names one.
RunOutcome run_with_outputs(const Scenario& scenario, RunOptions options,
                            const std::vector<std::string>& overrides, RunFiles& files);

}  // namespace faultline::run
