#pragma once
// What every harness shares: the input as text, and the one rule they check. Bad input must end
// in the error the command turns into one line and exit 2; any other exception escapes
// LLVMFuzzerTestOneInput and libFuzzer reports it as a crash, as it does a signal or a sanitizer
// report.

#include <cstddef>
#include <cstdint>
#include <string>

#include "run/json_input.hpp"
#include "run/scenario.hpp"

namespace faultline::fuzz {

inline std::string as_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// The input as a scenario file, read as `faultline run` reads one. Throws
// protocols::ScenarioError.
inline run::Scenario as_scenario(const uint8_t* data, size_t size) {
  const std::string file = "fuzz.json";
  return run::parse_scenario(file, run::parse_json(as_text(data, size), file, ""));
}

}  // namespace faultline::fuzz
