#pragma once
// What `shrink` and `explore --shrink` share: the before -> after of a shrunk run, in the words a
// person reads it by, and the minimal scenario file written and run once.

#include <string>

#include <nlohmann/json.hpp>

#include "run/explore.hpp"

namespace faultline::cli {

// "faults 58 -> 7, events 3112 -> 412, simulated 12.3s -> 3.1s".
std::string before_after(const run::RunMeasure& before, const run::RunMeasure& after);

// Writes a minimal scenario (run/timeline_shrink) to `out` and runs it once, its outputs beside
// it ("x.json" -> "x/", any other name -> "name-run/"). Returns the run's exit code.
int write_and_run_minimal_scenario(const nlohmann::json& scenario, const std::string& out);

}  // namespace faultline::cli
