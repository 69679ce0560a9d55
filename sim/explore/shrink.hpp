#pragma once
// Shrinking a failing run, Hypothesis-style: a run is a function of its choice tape, so a smaller
// tape that still fails is a smaller counterexample. Candidates are tried from the cheapest and
// most effective to the finest: cut the tail (past the end every choice is 0, the simplest),
// delete chunks, then lower single values (0 first, then halving). A candidate is kept only if the
// run it replays still fails the same way. The result is a local minimum within the budget.

#include <cstddef>
#include <functional>

#include "sim/choices.hpp"

namespace faultline::sim::explore {

struct ShrinkOptions {
  size_t max_attempts = 2000;  // replays allowed in total
};

struct ShrinkResult {
  ChoiceTape tape;      // the smallest failing tape found
  size_t attempts = 0;  // replays made
  size_t accepted = 0;  // of which still failed (each made the tape smaller)
};

// `still_fails(tape)` replays a tape and says whether the failure persists.
ShrinkResult shrink_tape(const ChoiceTape& failing,
                         const std::function<bool(const ChoiceTape&)>& still_fails,
                         const ShrinkOptions& options = {});

// Orders tapes by simplicity: shorter first, then lexicographically smaller.
bool simpler(const ChoiceTape& a, const ChoiceTape& b);

}  // namespace faultline::sim::explore
