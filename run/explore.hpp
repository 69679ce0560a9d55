#pragma once
// Exploring a scenario: one run per seed over many seeds, tracing off, one world per thread, the
// results in seed order (sim/explore/sweep); then the first failing seed shrunk to a smaller run
// that fails the same way (sim/explore/shrink). What `faultline explore` does, for tests, benches
// and users' own programs; the CLI only parses flags and prints.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "run/scenario.hpp"
#include "sim/choices.hpp"

namespace faultline::run {

struct SeedResult {
  uint64_t seed = 0;
  std::vector<std::string> violated;  // checkers that fired, in the order the run reported them
  std::string error;                  // an exception the run threw, as text
  uint64_t events = 0;
};

// One seed, tracing off; an exception becomes `error` rather than ending the sweep.
SeedResult run_seed(const Scenario& scenario, uint64_t seed);

// Every seed of `seeds` on `jobs` threads; the results in the order of `seeds`, whichever thread
// finished first.
std::vector<SeedResult> explore_seeds(const Scenario& scenario, const std::vector<uint64_t>& seeds,
                                      unsigned jobs);

// The first result, in seed order, that violated something and threw nothing; nullptr if none.
const SeedResult* first_failure(const std::vector<SeedResult>& results);

struct TapeShrink {
  sim::ChoiceTape original;  // the failing seed's tape
  sim::ChoiceTape shrunk;    // the smallest tape found that still makes the checker fire
  size_t replays = 0;
  size_t accepted = 0;  // replays that still failed and were kept
};

// Shrinks `seed`'s choice tape while `checker` keeps firing, within `budget` replays.
TapeShrink shrink_seed_tape(const Scenario& scenario, uint64_t seed, const std::string& checker,
                            size_t budget);

}  // namespace faultline::run
