#pragma once
// Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010) of
// a protocol's untimed world (docs/model-checking.md, "PCT"). Each run gives every node, and the
// environment that injects the budget's faults, a random distinct priority; each step is taken by
// the highest-priority one that can act, and at d-1 random steps the one that acted drops below
// all the others. A bug that needs d particular orderings among n actors in runs of k steps is
// found by one run with probability at least 1/(n·k^(d-1)), whatever the protocol.
//
// The actors are the nodes: a delivery is its receiver's step, a timer its node's. Among the
// steps of the chosen actor one is drawn uniformly (a node with several messages waiting takes
// any of them), which PCT's bound does not cover; PCTCP (Ozkan et al., OOPSLA 2018) orders
// messages into chains instead, and needs the causal links of every message.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run/scenario.hpp"
#include "run/world_search.hpp"

namespace faultline::run {

struct PctOptions {
  uint32_t depth = 3;  // d: the bug depth aimed at (d-1 priority change points per run)
  uint64_t first_seed = 1;
  uint64_t last_seed = 100;
  uint32_t max_steps = 1000;  // k: steps per run at most
};

struct PctResult {
  uint64_t runs = 0;
  uint64_t steps = 0;      // over every run
  uint64_t max_steps = 0;  // the longest run
  uint32_t actors = 0;     // n: the nodes, and the environment when the budget has faults
  double seconds = 0;      // wall time (reported, never part of a verdict)
  std::vector<std::string> checkers;
  std::vector<std::string> left_out;
  std::optional<uint64_t> failing_seed;
  // The world's `sometimes` properties over every run, each at the fewest steps (+ 1) any run
  // reached it in.
  std::vector<spec::SometimesOutcome> sometimes;
  std::optional<WorldSearchFinding> violation;
};

// The probability PCT guarantees per run for a bug of `depth` among `actors` in `steps` steps.
double pct_run_bound(uint32_t actors, uint64_t steps, uint32_t depth);

// Runs seeds first_seed..last_seed, each a PCT schedule of the scenario's untimed world under
// its `search` budget; stops at the first violation. Throws protocols::ScenarioError.
PctResult pct_search(const Scenario& scenario, const PctOptions& options);

}  // namespace faultline::run
