// Every scenario with a nemesis: when the nemesis stops, the world is back in its configured
// fault state (every node up and running, no link cut, clocks and network as configured), so that
// the liveness phase after it measures the protocol and not a fault left behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/spec_scenario.hpp"
#include "tests/catalog_files.hpp"

namespace faultline::run {
namespace {

std::vector<std::string> nemesis_scenarios() {
  std::vector<std::string> files;
  for (const auto& entry : testing::catalog_protocol_scenarios()) {
    if (entry.second.nemesis) files.push_back(entry.first);
  }
  return files;
}

}  // namespace

TEST_CASE(
    "every nemesis scenario leaves the world in its configured fault state at stop "
    "(seeds 1-3 each)") {
  std::vector<std::string> files = nemesis_scenarios();
  REQUIRE(files.size() >= 10);
  size_t checked = 0;
  for (const std::string& file : files) {
    const Scenario scenario = load_scenario(file);
    const sim::TrueTime stop = scenario.nemesis->options.stop;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      CAPTURE(file);
      CAPTURE(seed);
      std::optional<std::vector<std::string>> at_stop;
      RunOptions options;
      options.seed = seed;
      options.inspect_world = [&at_stop, stop](sim::World& world) {
        // Checked after every event: the last one at `stop` (or the first after it, if none
        // falls on it) sees what the nemesis's heal, an event at `stop`, left.
        world.add_invariant("state after the nemesis", [&world, &at_stop, stop] {
          if (world.now() == stop || (!at_stop && world.now() > stop)) {
            at_stop = world.faults_in_force();
          }
          return std::optional<std::string>();
        });
      };
      RunOutcome outcome = run_scenario(scenario, options);
      // A bug variant's violation may end the run before the nemesis does.
      if (!at_stop) {
        CHECK(!outcome.violations.empty());
        continue;
      }
      std::string left;
      for (const std::string& fault : *at_stop) left += fault + "; ";
      INFO("still in force after stop: " << left);
      CHECK(at_stop->empty());
      ++checked;
    }
  }
  CHECK(checked >= files.size());
}

}  // namespace faultline::run
