#include "run/pct_search.hpp"

#include <chrono>
#include <cmath>

#include "run/runner.hpp"
#include "run/schedule_shrink.hpp"
#include "sim/random.hpp"

namespace faultline::run {

namespace {

struct RunVerdict {
  std::optional<std::pair<std::string, std::string>> broken;
  std::vector<uint32_t> path;
  uint64_t steps = 0;
};

// One PCT run: priorities and change points from `seed`, and the nodes' draws too.
RunVerdict pct_run(const Scenario& s, const PctOptions& options, uint64_t seed, PctResult& result) {
  auto owned = std::make_unique<sim::SteeredChoices>(std::vector<uint32_t>{}, seed);
  sim::SteeredChoices* steer = owned.get();
  BuiltWorld built = build_world(s, std::move(owned), true);
  sim::World& world = *built.world;
  if (result.checkers.empty()) {
    result.checkers = built.checkers;
    result.left_out = built.left_out;
  }
  const sim::FaultBudget budget = s.search.value_or(SearchSpec{}).budget;
  const bool environment =
      budget.crashes + budget.partitions + budget.drops + budget.duplicates > 0;
  const auto actors = static_cast<uint32_t>(world.node_count() + (environment ? 1 : 0));
  result.actors = actors;

  sim::Rng rng = sim::Rng::stream(seed, "pct");
  // Distinct initial priorities d..d+n-1 in a random order (Fisher-Yates); change points lower an
  // actor to 1..d-1, below every initial one.
  std::vector<uint64_t> priority(actors);
  for (uint32_t i = 0; i < actors; ++i) priority[i] = options.depth + i;
  for (uint32_t i = actors; i > 1; --i) std::swap(priority[i - 1], priority[rng.below(i)]);
  // Change points fall within the runs' length as seen so far (k), not the bound on it: a run of
  // 25 steps under a bound of 1000 would almost never meet one. The first run has none.
  const uint64_t k = std::min<uint64_t>(result.max_steps, options.max_steps);
  std::vector<uint64_t> change_at(k == 0 ? 0 : options.depth - 1);
  for (uint64_t& at : change_at) at = 1 + rng.below(k);

  RunVerdict verdict;
  for (uint64_t step = 1; step <= options.max_steps; ++step) {
    const std::vector<sim::UntimedAction> actions = world.untimed_actions();
    if (actions.empty()) break;
    const auto actor_of = [&](const sim::UntimedAction& a) {
      const sim::NodeId node = world.action_node(a);
      return node == sim::kNoNode ? actors - 1 : node;
    };
    uint32_t chosen = 0;
    uint64_t best = 0;
    for (const sim::UntimedAction& a : actions) {
      const uint32_t actor = actor_of(a);
      if (priority[actor] > best) {
        best = priority[actor];
        chosen = actor;
      }
    }
    std::vector<uint32_t> mine;
    for (uint32_t i = 0; i < actions.size(); ++i) {
      if (actor_of(actions[i]) == chosen) mine.push_back(i);
    }
    const uint32_t pick = mine[rng.below(mine.size())];
    if (actions.size() > 1) steer->then(pick);
    world.step();
    verdict.steps = step;
    for (size_t i = 0; i < change_at.size(); ++i) {
      if (change_at[i] == step) priority[chosen] = i + 1;
    }
    if (!world.violations().empty()) break;
  }
  result.steps += verdict.steps;
  result.max_steps = std::max(result.max_steps, verdict.steps);
  note_sometimes(world, result.sometimes);
  verdict.broken = judge_world(built);
  verdict.path = steer->path();
  return verdict;
}

}  // namespace

double pct_run_bound(uint32_t actors, uint64_t steps, uint32_t depth) {
  return 1.0 / (static_cast<double>(actors) *
                std::pow(static_cast<double>(std::max<uint64_t>(steps, 1)), depth - 1.0));
}

PctResult pct_search(const Scenario& s, const PctOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  PctResult result;
  for (uint64_t seed = options.first_seed;; ++seed) {
    ++result.runs;
    RunVerdict verdict = pct_run(s, options, seed, result);
    if (verdict.broken) {
      result.failing_seed = seed;
      result.violation = WorldSearchFinding{verdict.broken->first,
                                            verdict.broken->second,
                                            std::move(verdict.path),
                                            verdict.steps,
                                            {}};
      result.violation->story =
          world_story(s, result.violation->path, result.violation->steps, seed);
      // A PCT run goes on until the bug shows: most of its steps are not the bug's.
      result.violation = shrink_schedule(s, *result.violation, seed);
      break;
    }
    if (seed == options.last_seed) break;
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace faultline::run
