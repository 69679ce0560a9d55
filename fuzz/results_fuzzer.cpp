// Any bytes as a results.json, merged as `faultline merge` merges it: once, then a second time
// (which must be refused: its seeds are taken), and the merged document written out.
#include "fuzz/fuzz_input.hpp"
#include "protocols/params.hpp"
#include "run/json_input.hpp"
#include "run/results_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline;
  const std::string file = "results.json";
  try {
    nlohmann::json document = run::parse_json(fuzz::as_text(data, size), file, "");
    run::MergedResults merged;
    merged.add(file, document);
    (void)merged.document().dump();
    try {
      merged.add(file, document);
    } catch (const protocols::ScenarioError&) {
    }
  } catch (const protocols::ScenarioError&) {
  }
  return 0;
}
