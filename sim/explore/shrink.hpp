#pragma once
// Shrinking a failing run, Hypothesis-style: a run is a function of its choice tape, so another
// tape that still fails is another counterexample. What a person reads, though, is the run, not
// the tape, and a tape of smaller numbers can replay a bigger run (more faults, more events). So
// a candidate is judged by the run it replays (Hypothesis's shortlex order, applied to the
// outcome): it is kept only if the same failure shows, the run is no larger (RunSize) and its
// tape is simpler (shorter, then lexicographically smaller; 0 is each draw's simplest outcome,
// sim/choices). Candidates go from the cheapest and most effective to the finest: cut the tail
// (past the end every choice is its simplest), lower single values (the rare streams' first: the
// nemesis draws few values and each changes the run much), delete chunks. The result is a local
// minimum within the budget, and never a larger run than the one it started from.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include "sim/choices.hpp"

namespace faultline::sim::explore {

// How big a failing run is to read, compared in this order (the first difference decides).
struct RunSize {
  uint64_t faults = 0;         // faults injected (WorldStats::faults)
  uint64_t events = 0;         // events processed
  uint64_t messages = 0;       // messages sent
  int64_t violated_at_ns = 0;  // simulated time to the violation
  auto operator<=>(const RunSize&) const = default;
};

// `a` may replace `b`: no later in the order above, and neither more faults nor more events (a
// run with one fault fewer and ten times the events is not smaller to read).
bool no_larger(const RunSize& a, const RunSize& b);

struct FailingRun {
  RunSize size;
  // The tape as the run drew it (recorded): without the values it never read, with its streams.
  ChoiceTape tape;
};

// Replays a candidate tape: the run if the same failure shows, nullopt if it does not.
using ReplayFailure = std::function<std::optional<FailingRun>(const ChoiceTape&)>;

struct ShrinkOptions {
  size_t max_attempts = 2000;  // replays allowed in total
};

struct ShrinkResult {
  FailingRun run;       // the smallest failing run found, and its tape
  size_t attempts = 0;  // replays made
  size_t accepted = 0;  // of which were kept (each a simpler tape, no larger a run)
};

ShrinkResult shrink_tape(const FailingRun& failing, const ReplayFailure& replay,
                         const ShrinkOptions& options = {});

// Orders tapes by simplicity: shorter first, then lexicographically smaller.
bool simpler(const ChoiceTape& a, const ChoiceTape& b);

}  // namespace faultline::sim::explore
