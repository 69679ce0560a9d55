#pragma once
// One run with every output written and the outcome printed: what `run`, `replay` and the
// explorer's final, shrunk run share.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run/outputs.hpp"
#include "run/scenario.hpp"
#include "sim/choices.hpp"

namespace faultline::cli {

struct RunFlags {
  std::string file;
  std::optional<uint64_t> seed;
  std::optional<uint64_t> untimed_steps;  // replaying a search's counterexample (tape.json)
  std::optional<uint64_t> timed_steps;    // the same, of a timed search
  std::string out;
  std::vector<std::string> set;
  bool check_expect = false;
  bool no_diagram = false;
  bool json = false;
  size_t diagram_events = run::kDiagramEvents;  // rows of a violation's causal slice drawn; 0: all
  size_t step_events = reports::kStepEvents;    // recent events the step-through carries; 0: all
};

// Runs `scenario` (replaying `replay` if given), writes trace, summary, diagram, report and tape
// into flags.out (or the default directory), prints the outcome, and returns the exit code. With
// `expected_hash`, also checks that the trace hash is that one (a replay).
int run_and_report(const run::Scenario& scenario, const RunFlags& flags,
                   std::optional<sim::ChoiceTape> replay, const std::string& expected_hash);

}  // namespace faultline::cli
