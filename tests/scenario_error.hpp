#pragma once
// For tests of bad scenario input: what `faultline run` says about a scenario document once
// `settings` (as `--set key=value`) are applied to it - the one-line error of a bad scenario, or ""
// when it loads and runs.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::run {

inline std::string scenario_error(nlohmann::json document,
                                  const std::vector<std::string>& settings = {}) {
  try {
    for (const std::string& setting : settings) apply_override(document, "bad.json", setting);
    run_scenario(parse_scenario("bad.json", document), RunOptions{});
  } catch (const protocols::ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace faultline::run
