// Any bytes as a tape.json, read as `faultline replay` reads it.
#include "fuzz/fuzz_input.hpp"
#include "protocols/params.hpp"
#include "run/json_input.hpp"
#include "run/tape_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  try {
    run::parse_tape("tape.json", run::parse_json(fuzz::as_text(data, size), "tape.json", ""));
  } catch (const protocols::ScenarioError&) {
  }
  return 0;
}
