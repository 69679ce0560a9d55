#include "run/explore.hpp"

#include "run/runner.hpp"
#include "sim/explore/shrink.hpp"
#include "sim/explore/sweep.hpp"

namespace faultline::run {

SeedResult run_seed(const Scenario& scenario, uint64_t seed) {
  SeedResult result;
  result.seed = seed;
  try {
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    for (const RunViolation& v : outcome.violations) result.violated.push_back(v.checker);
    result.events = outcome.stats.events;
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

std::vector<SeedResult> explore_seeds(const Scenario& scenario, const std::vector<uint64_t>& seeds,
                                      unsigned jobs) {
  return sim::explore::sweep<SeedResult>(seeds, jobs,
                                         [&](uint64_t seed) { return run_seed(scenario, seed); });
}

const SeedResult* first_failure(const std::vector<SeedResult>& results) {
  for (const SeedResult& r : results) {
    if (r.error.empty() && !r.violated.empty()) return &r;
  }
  return nullptr;
}

TapeShrink shrink_seed_tape(const Scenario& scenario, uint64_t seed, const std::string& checker,
                            size_t budget) {
  RunOptions record;
  record.seed = seed;
  record.record_tape = true;
  TapeShrink result;
  result.original = run_scenario(scenario, record).tape;
  auto still_fails = [&](const sim::ChoiceTape& tape) {
    RunOptions replay;
    replay.seed = seed;
    replay.replay = tape;
    for (const RunViolation& v : run_scenario(scenario, replay).violations) {
      if (v.checker == checker) return true;
    }
    return false;
  };
  sim::explore::ShrinkResult shrunk =
      sim::explore::shrink_tape(result.original, still_fails, {budget});
  result.shrunk = std::move(shrunk.tape);
  result.replays = shrunk.attempts;
  result.accepted = shrunk.accepted;
  return result;
}

}  // namespace faultline::run
