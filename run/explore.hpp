#pragma once
// Exploring a scenario: one run per seed over many seeds, tracing off, one world per thread, the
// results in seed order (sim/explore/sweep); then the first failing seed shrunk to a smaller run
// that fails the same way. What `faultline explore` does, for tests, benches and users' own
// programs; the CLI only parses flags and prints.
//
// Shrinking a failing seed takes two roads, both judged by what a person reads (the run's faults,
// events and simulated time, never more than the seed's own run):
// - the tape: the run is cut short after the violation, then its choice tape shrunk
//   (sim/explore/shrink) while the same checker fires. Every draw takes part (latencies, ties, the
//   workload's), so it shrinks what a fault timeline cannot express; it replays as a tape.
// - the fault timeline (run/timeline_shrink): the faults the run suffered as an explicit list,
//   delta-debugged. Usually the smaller run, and a scenario file a person can read and edit.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/timeline_shrink.hpp"
#include "sim/choices.hpp"
#include "sim/explore/shrink.hpp"

namespace faultline::run {

struct SeedResult {
  uint64_t seed = 0;
  std::vector<std::string> violated;  // checkers that fired, each once, in the order they did
  // Checkers that gave up before a verdict (a memory bound): the run is neither a pass nor a
  // violation of theirs.
  std::vector<std::string> undecided;
  std::string error;             // an exception the run threw, as text
  std::exception_ptr bad_input;  // the scenario asks too much of this seed (a run bound)
  uint64_t events = 0;
  std::vector<ReachedProperty> sometimes;  // the world's `sometimes` properties (sim/sometimes.hpp)
};

// One seed, tracing off; an exception becomes `error` rather than ending the sweep.
SeedResult run_seed(const Scenario& scenario, uint64_t seed);

// Every seed of `seeds` on `jobs` threads; the results in the order of `seeds`, whichever thread
// finished first.
std::vector<SeedResult> explore_seeds(const Scenario& scenario, const std::vector<uint64_t>& seeds,
                                      unsigned jobs);

// The first result, in seed order, that violated something and threw nothing; nullptr if none.
const SeedResult* first_failure(const std::vector<SeedResult>& results);

// What the before -> after of a shrink reports about one run.
struct RunMeasure {
  sim::explore::RunSize size;  // faults, events, messages, time to the violation
  int64_t simulated_ns = 0;    // how long the run lasted (to the violation, or to its end)
};

// The measure of a run that violated `checker`; nullopt if it did not.
std::optional<RunMeasure> measure_failure(const RunOutcome& outcome, const std::string& checker);

struct TapeShrink {
  RunMeasure before;     // the seed's own run
  std::string duration;  // the cut after the violation, as a scenario duration; empty: not cut
  sim::ChoiceTape tape;  // replays the shrunk run (under `duration`)
  RunMeasure after;      // never larger than `before` (sim::explore::no_larger)
  size_t replays = 0;
  size_t accepted = 0;  // replays that still failed, no larger, and were kept
  size_t choices_before = 0;
};

// Cuts `seed`'s run after its violation of `checker` and shrinks its tape, within `budget`
// replays. The seed must violate `checker`.
TapeShrink shrink_seed_tape(const Scenario& scenario, uint64_t seed, const std::string& checker,
                            size_t budget);

struct TimelineMeasure {
  TimelineShrinkResult shrink;
  std::optional<RunMeasure> before;  // the seed's own run (when it violates the checker)
  std::optional<RunMeasure> after;   // the minimal scenario's run (when reproduced)
};

// `faultline shrink`'s road for the same seed, and the measure of the run its scenario makes.
TimelineMeasure shrink_seed_timeline(const Scenario& scenario, uint64_t seed,
                                     const std::string& checker, size_t budget);

}  // namespace faultline::run
