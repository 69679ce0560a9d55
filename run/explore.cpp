#include "run/explore.hpp"

#include <algorithm>

#include "base/format_ns.hpp"
#include "protocols/params.hpp"
#include "run/cut_after_violation.hpp"
#include "sim/explore/sweep.hpp"

namespace faultline::run {

SeedResult run_seed(const Scenario& scenario, uint64_t seed) {
  SeedResult result;
  result.seed = seed;
  try {
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    // Each checker once, in the order it first fired: every one counts the seed.
    for (const Finding& v : outcome.violations) {
      if (std::find(result.violated.begin(), result.violated.end(), v.checker) ==
          result.violated.end()) {
        result.violated.push_back(v.checker);
      }
    }
    for (const UndecidedCheck& u : outcome.undecided) result.undecided.push_back(u.checker);
    result.events = outcome.stats.events;
    result.sometimes = std::move(outcome.sometimes);
  } catch (const protocols::ScenarioError&) {
    // Bad input (a run bound the scenario exceeds at this seed): the caller reports it once.
    result.bad_input = std::current_exception();
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

std::optional<RunMeasure> measure_failure(const RunOutcome& outcome, const std::string& checker) {
  for (const Finding& v : outcome.violations) {
    if (v.checker != checker) continue;
    return RunMeasure{
        {outcome.stats.faults, outcome.stats.events, outcome.stats.messages_sent, v.at_ns},
        outcome.simulated_ns};
  }
  return std::nullopt;
}

namespace {

// The scenario ending at `cut_ns`, as `--set duration=...` would make it.
Scenario with_duration(const Scenario& scenario, const std::string& duration) {
  nlohmann::json doc = scenario.document;
  doc["duration"] = duration;
  return parse_scenario(scenario.file, doc);
}

// Replays tapes of one seed under one scenario, judged by `checker` and measured.
struct TapeJudge {
  const Scenario& scenario;
  uint64_t seed;
  const std::string& checker;

  std::optional<std::pair<RunMeasure, sim::ChoiceTape>> run(
      std::optional<sim::ChoiceTape> replay) const {
    RunOptions options;
    options.seed = seed;
    options.replay = std::move(replay);
    options.record_tape = true;
    RunOutcome outcome = run_scenario(scenario, options);
    std::optional<RunMeasure> measure = measure_failure(outcome, checker);
    if (!measure) return std::nullopt;
    return std::pair(*measure, std::move(outcome.tape));
  }
};

}  // namespace

TapeShrink shrink_seed_tape(const Scenario& scenario, uint64_t seed, const std::string& checker,
                            size_t budget) {
  TapeShrink result;
  auto original = TapeJudge{scenario, seed, checker}.run(std::nullopt);
  if (!original) return result;  // the seed does not violate `checker`: nothing to shrink
  result.before = original->first;
  result.after = original->first;
  result.tape = original->second;
  result.choices_before = original->second.values.size();

  // Cut first: every replay of the shrink is then shorter too. A cut is kept only if the seed's
  // run, ending there, still fails and is no larger (the harness sees the duration, and could
  // plan a different workload).
  Scenario cut_scenario = scenario;
  cut_after_violation(
      original->first.size.violated_at_ns, scenario.duration.ns(), [&](int64_t cut) {
        std::string duration = format_ns(cut);
        Scenario candidate = with_duration(scenario, duration);
        auto cut_run = TapeJudge{candidate, seed, checker}.run(std::nullopt);
        ++result.replays;
        if (!cut_run || !sim::explore::no_larger(cut_run->first.size, result.before.size))
          return false;
        result.duration = duration;
        result.after = cut_run->first;
        result.tape = cut_run->second;
        cut_scenario = std::move(candidate);
        return true;
      });

  TapeJudge judge{cut_scenario, seed, checker};
  sim::explore::ReplayFailure replay =
      [&](const sim::ChoiceTape& tape) -> std::optional<sim::explore::FailingRun> {
    auto run = judge.run(tape);
    if (!run) return std::nullopt;
    return sim::explore::FailingRun{run->first.size, std::move(run->second)};
  };
  size_t left = budget > result.replays ? budget - result.replays : 0;
  sim::explore::ShrinkResult shrunk =
      sim::explore::shrink_tape({result.after.size, result.tape}, replay, {left});
  result.replays += shrunk.attempts;
  result.accepted = shrunk.accepted;
  result.tape = std::move(shrunk.run.tape);
  // The shrinker keeps sizes, not simulated lengths: measure the kept tape's run once.
  if (shrunk.accepted > 0) {
    if (auto kept = judge.run(result.tape)) result.after = kept->first;
  }
  return result;
}

TimelineMeasure shrink_seed_timeline(const Scenario& scenario, uint64_t seed,
                                     const std::string& checker, size_t budget) {
  TimelineMeasure result;
  result.before = measure_failure(run_scenario(scenario, RunOptions{.seed = seed}), checker);
  result.shrink = shrink_to_timeline(scenario, seed, checker, budget);
  if (result.shrink.reproduced) {
    Scenario minimal = parse_scenario(scenario.file, result.shrink.scenario);
    result.after = measure_failure(run_scenario(minimal, RunOptions{.seed = seed}), checker);
  }
  return result;
}

}  // namespace faultline::run
