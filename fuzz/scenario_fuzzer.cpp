// Any bytes as a scenario file: read by run/json_input, parsed (with the protocol's params), and
// built into a world that runs no further than its first nanosecond.
#include "fuzz/fuzz_input.hpp"
#include "protocols/params.hpp"
#include "run/runner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  try {
    run::Scenario scenario = fuzz::as_scenario(data, size);
    scenario.duration = sim::nanoseconds(1);  // build, not run
    run::run_scenario(scenario, run::RunOptions{});
  } catch (const protocols::ScenarioError&) {
  }
  return 0;
}
