#include "run/world_search.hpp"

#include <chrono>
#include <deque>
#include <unordered_map>

#include "run/runner.hpp"
#include "run/schedule_shrink.hpp"

namespace faultline::run {

namespace {

// States stored at most when the scenario sets no max_states: about 50 bytes each.
constexpr uint64_t kDefaultMaxStates = 20'000'000;

// A state waiting to be expanded: the path that reaches it, and what it can do next.
struct Pending {
  std::vector<uint32_t> path;
  uint32_t steps = 0;
  uint32_t enabled = 0;
};

// A fresh world of the scenario, stepped along `path` for `steps` steps.
BuiltWorld replay(const Scenario& s, const std::vector<uint32_t>& path, uint64_t steps,
                  uint64_t seed) {
  BuiltWorld built = build_world(s, std::make_unique<sim::SteeredChoices>(path, seed), true);
  for (uint64_t i = 0; i < steps && built.world->step();) ++i;
  return built;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> judge_world(BuiltWorld& built) {
  sim::World& world = *built.world;
  if (!world.violations().empty()) {
    const sim::Violation& v = world.violations().front();
    return std::make_pair(v.invariant, v.message);
  }
  for (const checkers::Finding& f : built.harness->check(world)) {
    if (f.kind == checkers::FindingKind::undecided) continue;
    return std::make_pair(f.checker, f.message);
  }
  return std::nullopt;
}

std::vector<std::string> world_story(const Scenario& s, const std::vector<uint32_t>& path,
                                     uint64_t steps, uint64_t seed) {
  BuiltWorld built = build_world(s, std::make_unique<sim::SteeredChoices>(path, seed), true);
  sim::World& world = *built.world;
  std::vector<std::string> story;
  size_t next = 0;
  for (uint64_t i = 0; i < steps; ++i) {
    const std::vector<sim::UntimedAction> actions = world.untimed_actions();
    if (actions.empty()) break;
    size_t pick = 0;
    if (actions.size() > 1)
      pick = next < path.size() ? std::min<size_t>(path[next++], actions.size() - 1) : 0;
    story.push_back(world.describe(actions[pick]));
    world.step();
  }
  return story;
}

WorldSearchResult search_world(const Scenario& s, const SearchSpec& spec, uint64_t seed,
                               const WorldSearchProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  WorldSearchResult result;
  result.strategy = spec.strategy;
  const bool breadth_first = spec.strategy != "dfs";
  const uint64_t max_states = spec.max_states ? spec.max_states : kDefaultMaxStates;

  // Looked up, never iterated: the search's order comes from the frontier alone.
  std::unordered_map<uint64_t, uint32_t> seen;  // fingerprint -> fewest steps it was reached in
  std::deque<Pending> frontier;
  bool cut_by_depth = false;

  // Reaches one state: judges it if new, and queues it for expansion.
  const auto visit = [&](BuiltWorld& built, std::vector<uint32_t> path, uint32_t steps) -> bool {
    ++result.generated_states;
    if (auto broken = judge_world(built)) {
      result.violation = WorldSearchFinding{broken->first, broken->second, path, steps, {}};
      result.cut_by = "violation";
      return false;
    }
    const uint64_t fingerprint = built.world->fingerprint();
    auto [it, fresh] = seen.try_emplace(fingerprint, steps);
    if (!fresh) {
      if (breadth_first || it->second <= steps) return true;
      it->second = steps;  // depth-first: reached by a shorter path, so expanded again
    } else {
      ++result.distinct_states;
      result.depth = std::max<uint64_t>(result.depth, uint64_t{steps} + 1);
    }
    const auto enabled = static_cast<uint32_t>(built.world->untimed_actions().size());
    if (enabled == 0) return true;
    if (spec.max_depth != 0 && steps >= spec.max_depth) {
      cut_by_depth = true;
      return true;
    }
    frontier.push_back(Pending{std::move(path), steps, enabled});
    if (seen.size() >= max_states) {
      result.cut_by = "max-states";
      return false;
    }
    return true;
  };

  {
    BuiltWorld initial = replay(s, {}, 0, seed);
    ++result.replays;
    result.variant = initial.variant;
    result.checkers = initial.checkers;
    result.left_out = initial.left_out;
    visit(initial, {}, 0);
  }
  while (result.cut_by.empty() && !frontier.empty()) {
    Pending state;
    if (breadth_first) {
      state = std::move(frontier.front());
      frontier.pop_front();
    } else {
      state = std::move(frontier.back());
      frontier.pop_back();
    }
    for (uint32_t choice = 0; choice < state.enabled && result.cut_by.empty(); ++choice) {
      std::vector<uint32_t> path = state.path;
      if (state.enabled > 1) path.push_back(choice);
      BuiltWorld built = replay(s, path, state.steps, seed);
      ++result.replays;
      sim::World& world = *built.world;
      const std::vector<sim::UntimedAction> actions = world.untimed_actions();
      if (actions.empty()) continue;  // cannot happen: the path is the one that was expanded
      ++result.coverage[world.action_family(actions[std::min<size_t>(choice, actions.size() - 1)])];
      world.step();
      visit(built, std::move(path), state.steps + 1);
    }
    if (progress && result.generated_states % 4096 < state.enabled) progress(result);
  }
  if (result.cut_by.empty() && cut_by_depth) result.cut_by = "max-depth";
  result.exhausted = result.cut_by.empty();
  if (result.violation) {
    result.violation->story = world_story(s, result.violation->path, result.violation->steps, seed);
    // Breadth-first search's counterexample is a shortest one already; depth-first's is the first
    // schedule met, often far longer than the bug needs.
    if (!breadth_first) result.violation = shrink_schedule(s, *result.violation, seed);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace faultline::run
