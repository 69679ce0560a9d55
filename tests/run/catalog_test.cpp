// The scenario catalog: every file in scenarios/ loads and, at its own seed, shows what its
// `expect` says. A scenario that stops reproducing its lesson fails here.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "run/pct_search.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/spec_scenario.hpp"
#include "run/world_search.hpp"
#include "tests/catalog_files.hpp"
#include "tests/run_verdict.hpp"

namespace faultline::run {
using faultline::testing::catalog_files;

TEST_CASE("every catalog scenario shows what its expect says") {
  std::vector<std::string> files = catalog_files();
  // Every file, whatever the count: catalog_docs_test checks the list against docs/catalog.md.
  REQUIRE_FALSE(files.empty());
  for (const std::string& file : files) {
    CAPTURE(file);
    nlohmann::json document = load_scenario_document(file);
    if (names_a_spec(document)) {
      // A spec-level model: its search, within the file's bounds, shows what `expect` says.
      SpecScenario spec = parse_spec_scenario(file, document);
      REQUIRE(spec.expect.has_value());
      spec::SearchResult result = spec::search(*build_model(spec), spec.search);
      if (spec.expect->ok) {
        CHECK_FALSE(result.violation.has_value());
        CHECK(result.exhausted);
      } else {
        REQUIRE(result.violation.has_value());
        CHECK(result.violation->invariant == spec.expect->violation);
      }
      continue;
    }
    Scenario scenario = parse_scenario(file, document);
    REQUIRE(scenario.expect.has_value());
    if (scenario.search) {
      // A protocol's search: within the file's budget and bounds it shows `expect`.
      std::optional<WorldSearchFinding> violation;
      if (scenario.search->strategy == "pct") {
        PctOptions options;
        options.depth = scenario.search->pct_depth;
        options.last_seed = scenario.search->pct_runs;
        violation = pct_search(scenario, options).violation;
      } else {
        violation = search_world(scenario, *scenario.search, scenario.seed).violation;
      }
      if (scenario.expect->ok) {
        CHECK_FALSE(violation.has_value());
      } else {
        REQUIRE(violation.has_value());
        CHECK(violation->checker == scenario.expect->violation);
      }
      continue;
    }
    RunOutcome outcome = run_scenario(scenario, RunOptions{});
    INFO("verdict: " << verdict(outcome));
    CHECK(outcome.expectation_met);
  }
}

TEST_CASE("the same scenario and seed give a byte-identical trace; another seed does not") {
  Scenario scenario = load_scenario(std::string(FAULTLINE_SOURCE_DIR) +
                                    "/scenarios/locks/lease-fenced-nemesis.json");
  auto hash = [&](uint64_t seed) {
    std::ostringstream trace;
    RunOptions options;
    options.seed = seed;
    options.trace_out = &trace;
    return run_scenario(scenario, options).trace_hash;
  };
  std::string first = hash(7);
  CHECK(first.size() == 16);
  CHECK(hash(7) == first);
  CHECK(hash(8) != first);
}

TEST_CASE("replaying a recorded tape reproduces the run exactly") {
  Scenario scenario = load_scenario(std::string(FAULTLINE_SOURCE_DIR) +
                                    "/scenarios/locks/lease-unfenced-nemesis.json");
  std::ostringstream trace;
  RunOptions record;
  record.seed = 3;
  record.trace_out = &trace;
  record.record_tape = true;
  RunOutcome original = run_scenario(scenario, record);
  REQUIRE(!original.tape.values.empty());

  std::ostringstream again;
  RunOptions replay;
  replay.replay = original.tape;
  replay.trace_out = &again;
  RunOutcome replayed = run_scenario(scenario, replay);
  CHECK(replayed.trace_hash == original.trace_hash);
  CHECK(again.str() == trace.str());
}

}  // namespace faultline::run
