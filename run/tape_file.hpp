#pragma once
// A tape.json (docs/outputs.md) read back: the scenario, its overrides, the seed, every choice
// the run made and the trace hash it gave, so that `faultline replay` re-runs it exactly.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/choices.hpp"

namespace faultline::run {

struct TapeFile {
  std::string scenario;          // the scenario file, as the run was given it
  std::vector<std::string> set;  // its --set overrides
  uint64_t seed = 0;
  std::string trace_hash;  // "" when the run wrote no trace
  sim::ChoiceTape choices;
  // Set for a search's counterexample: it replays in the scenario's untimed world, this many steps.
  std::optional<uint64_t> untimed_steps;
  std::optional<uint64_t> timed_steps;  // a timed search's counterexample: its steps
};

// Reads a parsed tape document (`file` names it in errors). Throws protocols::ScenarioError.
TapeFile parse_tape(const std::string& file, const nlohmann::json& document);

// run/json_input's read_json_file + parse_tape.
TapeFile read_tape(const std::string& file);

}  // namespace faultline::run
