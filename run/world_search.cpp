#include "run/world_search.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <iterator>
#include <unordered_map>

#include "run/runner.hpp"
#include "run/schedule_shrink.hpp"
#include "run/timed_search.hpp"
#include "sim/random.hpp"

namespace faultline::run {

namespace {

// States stored at most when the scenario sets no max_states: about 80 bytes each, and 16 more
// for each step its sleep set holds.
constexpr uint64_t kDefaultMaxStates = 20'000'000;

// An action as a sleep set remembers it: what it does (World::describe, hashed), and the node
// whose step it is (kNoNode for the environment's faults).
struct Asleep {
  uint64_t key = 0;
  sim::NodeId node = sim::kNoNode;
  bool operator==(const Asleep&) const = default;
  bool operator<(const Asleep& o) const { return key < o.key; }
};
using SleepSet = std::vector<Asleep>;  // sorted by key

// Two steps of different nodes commute: each runs its own node's code on its own input, and
// what either sends only joins the messages in flight (call ids are numbered per node, so the
// messages are the same in either order). A fault is dependent on everything: it changes what
// others can do, and faults share one budget.
bool independent(const Asleep& a, const Asleep& b) {
  return a.node != sim::kNoNode && b.node != sim::kNoNode && a.node != b.node;
}

bool asleep(const SleepSet& sleep, uint64_t key) {
  return std::binary_search(sleep.begin(), sleep.end(), Asleep{key, sim::kNoNode});
}

SleepSet intersection(const SleepSet& a, const SleepSet& b) {
  SleepSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// A state waiting to be expanded: the path that reaches it, what it can do next, and the steps
// whose orders with others were explored already elsewhere (Godefroid's sleep set).
struct Pending {
  std::vector<uint32_t> path;
  uint32_t steps = 0;
  uint64_t fingerprint = 0;
  SleepSet sleep;
  std::vector<Asleep> actions;  // what it can do next, as a sleep set names each
};

// A fresh world of the scenario, stepped along `path` for `steps` steps.
BuiltWorld replay(const Scenario& s, const std::vector<uint32_t>& path, uint64_t steps,
                  uint64_t seed) {
  BuiltWorld built = build_world(s, std::make_unique<sim::SteeredChoices>(path, seed), true);
  for (uint64_t i = 0; i < steps && built.world->step();) ++i;
  return built;
}

}  // namespace

void note_sometimes(const sim::World& world, std::vector<spec::SometimesOutcome>& sometimes) {
  if (sometimes.empty()) {
    for (const sim::SometimesRegistry::Property& p : world.sometimes().properties()) {
      sometimes.push_back({p.name, false, 0});
    }
  }
  const std::vector<sim::SometimesRegistry::Property>& held = world.sometimes().properties();
  for (size_t i = 0; i < held.size() && i < sometimes.size(); ++i) {
    if (!held[i].first_event) continue;
    const uint64_t depth = *held[i].first_event + 1;
    if (sometimes[i].reached && sometimes[i].depth <= depth) continue;
    sometimes[i].reached = true;
    sometimes[i].depth = depth;
  }
}

namespace {

// The frontier holds one level, the first wide enough: it keeps this shard's states of it.
void split_frontier(std::deque<Pending>& frontier, const SearchShard& shard, bool breadth_first,
                    WorldSearchResult& result) {
  result.split_depth = uint64_t{frontier.front().steps} + 1;
  result.split_states = frontier.size();
  std::deque<Pending> mine;
  for (Pending& p : frontier) {
    if (shard.owns(p.fingerprint)) mine.push_back(std::move(p));
  }
  result.shard_states = mine.size();
  // Depth-first takes from the back: the level's first state first.
  if (!breadth_first) std::reverse(mine.begin(), mine.end());
  frontier = std::move(mine);
}

}  // namespace

std::optional<std::pair<std::string, std::string>> judge_world(BuiltWorld& built) {
  sim::World& world = *built.world;
  if (!world.violations().empty()) {
    const Finding& v = world.violations().front();
    return std::make_pair(v.checker, v.message);
  }
  for (const Finding& f : built.harness->check(world)) {
    if (f.kind == FindingKind::undecided) continue;
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
  if (spec.timed) return search_timed(s, spec, seed, progress);
  const auto started = std::chrono::steady_clock::now();
  WorldSearchResult result;
  result.strategy = spec.strategy;
  const bool breadth_first = spec.strategy != "dfs";
  const uint64_t max_states = spec.max_states ? spec.max_states : kDefaultMaxStates;

  // Looked up, never iterated: the search's order comes from the frontier alone.
  struct Seen {
    uint32_t steps = 0;  // the fewest steps it was reached in
    SleepSet sleep;      // the steps not yet taken from it, because their orders were elsewhere
  };
  std::unordered_map<uint64_t, Seen> seen;  // by fingerprint
  std::deque<Pending> frontier;
  bool cut_by_depth = false;

  // Reaches one state with the sleep set it is reached with: judges it if new, and queues it
  // for expansion, or for expanding again the steps an earlier visit left asleep and this one
  // does not (sleep sets with stored states: a step is skipped only if every visit skipped it).
  const auto visit = [&](BuiltWorld& built, std::vector<uint32_t> path, uint32_t steps,
                         SleepSet sleep) -> bool {
    ++result.generated_states;
    note_sometimes(*built.world, result.sometimes);
    if (auto broken = judge_world(built)) {
      result.violation = WorldSearchFinding{broken->first, broken->second, path, steps, {}};
      result.cut_by = "violation";
      return false;
    }
    const uint64_t fingerprint = built.world->fingerprint();
    auto [it, fresh] = seen.try_emplace(fingerprint, Seen{steps, sleep});
    if (!fresh) {
      Seen& before = it->second;
      const bool shorter = !breadth_first && steps < before.steps;
      SleepSet both = intersection(before.sleep, sleep);
      const bool wakes = both.size() < before.sleep.size();
      if (!shorter && !wakes) return true;
      // Depth-first: reached by a shorter path, so expanded again (the depth bound is exact).
      if (shorter) before.steps = steps;
      before.sleep = both;
      sleep = std::move(both);
    } else {
      ++result.distinct_states;
      result.depth = std::max<uint64_t>(result.depth, uint64_t{steps} + 1);
      if (spec.on_state) spec.on_state(fingerprint);
    }
    const std::vector<sim::UntimedAction> actions = built.world->untimed_actions();
    if (actions.empty()) return true;
    if (spec.max_depth != 0 && steps >= spec.max_depth) {
      cut_by_depth = true;
      return true;
    }
    std::vector<Asleep> named;
    for (const sim::UntimedAction& a : actions) {
      named.push_back({fnv1a(built.world->describe(a)), built.world->action_node(a)});
    }
    frontier.push_back(
        Pending{std::move(path), steps, fingerprint, std::move(sleep), std::move(named)});
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
    visit(initial, {}, 0, {});
  }
  // Sharded, every shard searches breadth-first until a level is wide enough to split at.
  bool split_pending = spec.shard.sharded();
  while (result.cut_by.empty() && !frontier.empty()) {
    if (split_pending && spec.shard.splits_at(frontier.size()) &&
        frontier.front().steps == frontier.back().steps) {
      split_frontier(frontier, spec.shard, breadth_first, result);
      split_pending = false;
      if (frontier.empty()) break;
    }
    Pending state;
    if (breadth_first || split_pending) {
      state = std::move(frontier.front());
      frontier.pop_front();
    } else {
      state = std::move(frontier.back());
      frontier.pop_back();
    }
    // Two steps that read alike (two messages of one type on one link) cannot be told apart by
    // name: neither sleeps.
    const std::vector<Asleep>& steps_here = state.actions;
    std::vector<bool> sleepable(steps_here.size(), true);
    for (size_t i = 0; i < steps_here.size(); ++i) {
      for (size_t j = i + 1; j < steps_here.size(); ++j) {
        if (steps_here[i].key == steps_here[j].key) sleepable[i] = sleepable[j] = false;
      }
    }
    SleepSet taken;  // the steps taken from here so far: later siblings need not take them first
    const auto enabled = static_cast<uint32_t>(steps_here.size());
    for (uint32_t choice = 0; choice < enabled && result.cut_by.empty(); ++choice) {
      const Asleep& step = steps_here[choice];
      if (spec.sleep_sets && sleepable[choice] && asleep(state.sleep, step.key)) continue;
      SleepSet child_sleep;
      for (const SleepSet* from : {&state.sleep, &taken}) {
        for (const Asleep& other : *from) {
          if (independent(step, other)) child_sleep.push_back(other);
        }
      }
      std::sort(child_sleep.begin(), child_sleep.end());
      child_sleep.erase(std::unique(child_sleep.begin(), child_sleep.end()), child_sleep.end());

      std::vector<uint32_t> path = state.path;
      if (enabled > 1) path.push_back(choice);
      BuiltWorld built = replay(s, path, state.steps, seed);
      ++result.replays;
      sim::World& world = *built.world;
      const std::vector<sim::UntimedAction> actions = world.untimed_actions();
      if (actions.empty()) continue;  // cannot happen: the path is the one that was expanded
      ++result.coverage[world.action_family(actions[std::min<size_t>(choice, actions.size() - 1)])];
      world.step();
      visit(built, std::move(path), state.steps + 1, std::move(child_sleep));
      if (spec.sleep_sets && sleepable[choice]) {
        taken.insert(std::upper_bound(taken.begin(), taken.end(), step), step);
      }
    }
    if (progress && result.generated_states % 4096 < enabled) progress(result);
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
