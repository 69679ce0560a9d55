// The stateless search's driver (run/stateless_search.hpp): the store, the frontier, the cuts,
// sharding, sleep sets and the result, for any SearchStepper.
#include "run/stateless_search.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <iterator>
#include <unordered_map>
#include <utility>

#include "run/runner.hpp"

namespace faultline::run {

namespace {

// States stored at most when the scenario sets no max_states: about 80 bytes each, and 16 more
// for each step its sleep set holds.
constexpr uint64_t kDefaultMaxStates = 20'000'000;

// A progress line after each expansion that passes a multiple of this many states generated.
constexpr uint64_t kProgressEvery = 1024;

using SleepSet = std::vector<NamedStep>;  // sorted by key

// Two steps of different nodes commute: each runs its own node's code on its own input, and
// what either sends only joins the messages in flight (call ids are numbered per node, so the
// messages are the same in either order). A fault is dependent on everything: it changes what
// others can do, and faults share one budget.
bool independent(const NamedStep& a, const NamedStep& b) {
  return a.node != sim::kNoNode && b.node != sim::kNoNode && a.node != b.node;
}

bool asleep(const SleepSet& sleep, uint64_t key) {
  return std::binary_search(sleep.begin(), sleep.end(), NamedStep{key, sim::kNoNode});
}

SleepSet intersection(const SleepSet& a, const SleepSet& b) {
  SleepSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// The sleep set of the state a step leads to: the steps asleep here, or taken from here by
// earlier siblings, that commute with it (their orders with it were explored elsewhere).
SleepSet child_sleep(const NamedStep& step, const SleepSet& sleep, const SleepSet& taken) {
  SleepSet out;
  for (const SleepSet* from : {&sleep, &taken}) {
    for (const NamedStep& other : *from) {
      if (independent(step, other)) out.push_back(other);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Which of a state's steps may sleep: two that read alike (two messages of one type on one
// link) cannot be told apart by name, so neither does.
std::vector<bool> sleepable(const std::vector<NamedStep>& steps) {
  std::vector<bool> out(steps.size(), true);
  for (size_t i = 0; i < steps.size(); ++i) {
    for (size_t j = i + 1; j < steps.size(); ++j) {
      if (steps[i].key == steps[j].key) out[i] = out[j] = false;
    }
  }
  return out;
}

// The draws of a step's next sibling, as far as they differ from the first value of each: the
// last draw that has a value left takes its next one, and the draws after it are drawn afresh
// (their bounds may differ). False when every combination was taken.
bool next_sibling(const std::vector<StepDraw>& draws, std::vector<uint32_t>& suffix) {
  for (size_t i = draws.size(); i-- > 0;) {
    if (draws[i].value + 1 < draws[i].bound) {
      suffix.clear();
      for (size_t j = 0; j < i; ++j) suffix.push_back(draws[j].value);
      suffix.push_back(draws[i].value + 1);
      return true;
    }
  }
  return false;
}

// A state waiting to be expanded: the path that reaches it, what it can do next as sleep sets
// name it, and the steps whose orders with others were explored already elsewhere (Godefroid's
// sleep set).
struct Pending {
  std::vector<uint32_t> path;
  uint32_t steps = 0;
  uint64_t fingerprint = 0;
  SleepSet sleep;
  std::vector<NamedStep> named;
};

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

WorldSearchResult stateless_search(const SearchStepper& stepper, const SearchSpec& spec,
                                   const WorldSearchProgress& progress) {
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
  bool cut_by_horizon = false;

  // Reaches one state with the sleep set it is reached with: judges it if new, and queues it
  // for expansion, or for expanding again the steps an earlier visit left asleep and this one
  // does not (sleep sets with stored states: a step is skipped only if every visit skipped it).
  const auto visit = [&](SearchNode& node, std::vector<uint32_t> path, uint32_t steps,
                         SleepSet sleep) {
    ++result.generated_states;
    note_sometimes(*node.built().world, result.sometimes);
    if (auto broken = judge_world(node.built())) {
      result.violation = WorldSearchFinding{broken->first, broken->second, path, steps, {}};
      result.cut_by = "violation";
      return;
    }
    const uint64_t fingerprint = node.fingerprint();
    auto [it, fresh] = seen.try_emplace(fingerprint, Seen{steps, sleep});
    if (!fresh) {
      Seen& before = it->second;
      const bool shorter = !breadth_first && steps < before.steps;
      SleepSet both = intersection(before.sleep, sleep);
      const bool wakes = both.size() < before.sleep.size();
      if (!shorter && !wakes) return;
      // Depth-first: reached by a shorter path, so expanded again (the depth bound is exact).
      if (shorter) before.steps = steps;
      before.sleep = both;
      sleep = std::move(both);
    } else {
      ++result.distinct_states;
      result.depth = std::max<uint64_t>(result.depth, uint64_t{steps} + 1);
      if (spec.on_state) spec.on_state(fingerprint);
    }
    switch (node.ahead()) {
      case SearchNode::Ahead::kNothing:
        return;
      case SearchNode::Ahead::kPastHorizon:
        cut_by_horizon = true;
        return;
      case SearchNode::Ahead::kSteps:
        break;
    }
    if (spec.max_depth != 0 && steps >= spec.max_depth) {
      cut_by_depth = true;
      return;
    }
    frontier.push_back(
        Pending{std::move(path), steps, fingerprint, std::move(sleep), node.named_steps()});
    if (seen.size() >= max_states) result.cut_by = "max-states";
  };

  {
    std::unique_ptr<SearchNode> initial = stepper.replay({}, 0);
    ++result.replays;
    result.variant = initial->built().variant;
    result.checkers = initial->built().checkers;
    result.left_out = initial->built().left_out;
    visit(*initial, {}, 0, {});
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
    const uint64_t generated_before = result.generated_states;
    const std::vector<bool> may_sleep = sleepable(state.named);
    SleepSet taken;  // the steps taken from here so far: later siblings need not take them first
    // Every step from this state, one per combination of its draws: the first values of each,
    // then the next sibling's, until none is left.
    std::vector<uint32_t> suffix;
    while (result.cut_by.empty()) {
      // With named steps, the i-th is the one draw of value i.
      const uint32_t choice = suffix.empty() ? 0 : suffix.front();
      const bool named = choice < state.named.size();
      const bool sleeps = spec.sleep_sets && named && may_sleep[choice];
      if (sleeps && asleep(state.sleep, state.named[choice].key)) {
        if (choice + 1 >= state.named.size()) break;
        suffix = {choice + 1};
        continue;
      }
      std::vector<uint32_t> path = state.path;
      path.insert(path.end(), suffix.begin(), suffix.end());
      std::unique_ptr<SearchNode> node = stepper.replay(path, state.steps);
      ++result.replays;
      if (!node->step(result.coverage)) break;  // cannot happen: the state was queued with steps
      const std::vector<StepDraw> draws = node->draws_from(state.path.size());
      visit(*node, node->path(), state.steps + 1,
            named ? child_sleep(state.named[choice], state.sleep, taken) : SleepSet{});
      if (sleeps) {
        const NamedStep& step = state.named[choice];
        taken.insert(std::upper_bound(taken.begin(), taken.end(), step), step);
      }
      if (!next_sibling(draws, suffix)) break;
    }
    if (progress && generated_before / kProgressEvery != result.generated_states / kProgressEvery)
      progress(result);
  }
  if (result.cut_by.empty() && cut_by_depth) result.cut_by = "max-depth";
  if (result.cut_by.empty() && cut_by_horizon) result.cut_by = "horizon";
  result.exhausted = result.cut_by.empty();
  if (result.violation) {
    result.violation->story = stepper.story(result.violation->path, result.violation->steps);
    if (!breadth_first && stepper.shorten) result.violation = stepper.shorten(*result.violation);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace faultline::run
