// Any bytes as a scenario, run for at most 300ms of simulated time with its trace written and
// kept (as `faultline run` does), so that faults, the nemesis and the checkers see fuzzed input.
#include <sstream>

#include "fuzz/fuzz_input.hpp"
#include "protocols/params.hpp"
#include "run/runner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  try {
    run::Scenario scenario = fuzz::as_scenario(data, size);
    scenario.duration = std::min(scenario.duration, sim::milliseconds(300));
    std::ostringstream trace;
    run::RunOptions options;
    options.trace_out = &trace;
    options.keep_trace = true;
    options.record_tape = true;
    run::run_scenario(scenario, options);
  } catch (const protocols::ScenarioError&) {
  }
  return 0;
}
