#pragma once
// For tests that run scenarios: what a run found, as text for a failing check's message, and the
// search for the first seed at which a checker fires (the property tests' "found within a budget").

#include <cstdint>
#include <string>
#include <vector>

#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::run {

// Each violation as "checker at <ns>: message" on a line of its own, or "ok".
inline std::string verdict(const RunOutcome& outcome) {
  std::string out;
  for (const auto& v : outcome.violations)
    out += v.checker + " at " + std::to_string(v.at_ns) + ": " + v.message + "\n";
  return out.empty() ? "ok" : out;
}

// Whether `checker` fired in the run.
inline bool breaks(const RunOutcome& outcome, const std::string& checker) {
  for (const auto& v : outcome.violations) {
    if (v.checker == checker) return true;
  }
  return false;
}

// How many times fault sites in a source file whose path contains `file` fired in a run kept with
// `keep_trace` (the trace's buggify records name their site as file:line).
inline int fault_site_firings(const RunOutcome& outcome, const std::string& file) {
  int n = 0;
  for (const auto& r : outcome.trace) {
    n += r.kind == sim::TraceKind::kBuggify && r.detail.find(file) != std::string::npos;
  }
  return n;
}

// The first seed in [first, first + budget) at which any of `checkers` fires, or 0. Every test
// that looks for a bug over seeds uses this one search, so "found within N seeds" means the same
// everywhere: seeds first..first+N-1, and only the named checkers count, not any violation.
inline uint64_t first_seed_finding_any(const Scenario& scenario,
                                       const std::vector<std::string>& checkers, uint64_t first,
                                       uint64_t budget) {
  for (uint64_t seed = first; seed < first + budget; ++seed) {
    const RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    for (const std::string& checker : checkers) {
      if (breaks(outcome, checker)) return seed;
    }
  }
  return 0;
}

// The first seed in [first, first + budget) at which `checker` fires, or 0.
inline uint64_t first_seed_finding(const Scenario& scenario, const std::string& checker,
                                   uint64_t first, uint64_t budget) {
  return first_seed_finding_any(scenario, {checker}, first, budget);
}

}  // namespace faultline::run
