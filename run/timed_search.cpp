#include "run/timed_search.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <unordered_map>

#include "run/runner.hpp"
#include "sim/timed_search.hpp"
#include "sim/trace.hpp"

namespace faultline::run {

namespace {

// States stored at most when the scenario sets no max_states.
constexpr uint64_t kDefaultMaxStates = 20'000'000;

// What happened in one instant, as the trace tells it: "deliver Granted server -> client1".
class InstantWords final : public sim::TraceSink {
 public:
  explicit InstantWords(const std::vector<std::string>& names) : names_(names) {}
  void record(const sim::TraceEvent& e) override {
    const auto name = [&](sim::NodeId n) {
      return n < names_.size() ? names_[n] : std::string("world");
    };
    const auto type = [&] {
      return e.data.is_object() && e.data.contains("type") ? e.data["type"].get<std::string>()
                                                           : std::string("message");
    };
    switch (e.kind) {
      case sim::TraceKind::kDeliver:
        add("deliver " + type(), name(e.peer) + " -> " + name(e.node));
        break;
      case sim::TraceKind::kDrop:
        add("drop " + type(), name(e.peer) + " -> " + name(e.node) + " (" + e.detail + ")");
        break;
      case sim::TraceKind::kTimer:
        add("timer", "of " + name(e.node));
        break;
      case sim::TraceKind::kStart:
        add("start", name(e.node));
        break;
      case sim::TraceKind::kResume:
        add("resume", name(e.node));
        break;
      default:
        break;
    }
  }
  std::vector<std::string> families;  // "deliver Granted", "timer" (coverage)
  std::vector<std::string> words;     // "deliver Granted server -> client1"

 private:
  void add(std::string family, const std::string& rest) {
    words.push_back(family + " " + rest);
    families.push_back(std::move(family));
  }
  const std::vector<std::string>& names_;
};

// A fresh world of a timed search, steered along `path`, and its stepper.
struct TimedReplay {
  BuiltWorld built;
  sim::TimedSteering* steering = nullptr;  // owned by the world
  std::unique_ptr<sim::TimedStepper> stepper;
};

TimedReplay replay_timed(const Scenario& s, const std::vector<uint32_t>& path, uint64_t steps,
                         uint64_t seed) {
  TimedReplay r;
  auto steering = std::make_unique<sim::TimedSteering>(path, seed);
  r.steering = steering.get();
  r.built = build_world(s, std::move(steering), false);
  if (!r.built.timed) {
    throw protocols::ScenarioError(s.file, "search.time", "\"timed\" for a timed search",
                                   "\"untimed\"");
  }
  r.stepper = std::make_unique<sim::TimedStepper>(*r.built.world, *r.built.timed);
  for (uint64_t i = 0; i < steps && r.stepper->step();) ++i;
  return r;
}

std::vector<uint32_t> values_of(const std::vector<sim::TimedSteering::Draw>& draws) {
  std::vector<uint32_t> out;
  out.reserve(draws.size());
  for (const sim::TimedSteering::Draw& d : draws) out.push_back(d.value);
  return out;
}

// The next sibling of the draws one step took past `from`: the last draw that has a value left
// takes its next one, and the draws after it are drawn afresh (their bounds may differ). False
// when every combination was taken.
bool next_suffix(const std::vector<sim::TimedSteering::Draw>& draws, size_t from,
                 std::vector<uint32_t>& suffix) {
  for (size_t i = draws.size(); i-- > from;) {
    if (draws[i].value + 1 < draws[i].bound) {
      suffix.clear();
      for (size_t j = from; j < i; ++j) suffix.push_back(draws[j].value);
      suffix.push_back(draws[i].value + 1);
      return true;
    }
  }
  return false;
}

std::string instant_words(const sim::World& world, const sim::TimedStepper& stepper,
                          const InstantWords& words) {
  std::string out =
      "at " + sim::format_duration(sim::Duration::nanoseconds(world.now().ns())) + ":";
  std::string sep = " ";
  if (!stepper.last_fault().empty()) {
    out += sep + stepper.last_fault();
    sep = "; ";
  }
  for (const std::string& w : words.words) {
    out += sep + w;
    sep = ", ";
  }
  return out;
}

}  // namespace

std::vector<std::string> timed_story(const Scenario& s, const std::vector<uint32_t>& path,
                                     uint64_t steps, uint64_t seed) {
  TimedReplay r = replay_timed(s, path, 0, seed);
  sim::World& world = *r.built.world;
  std::vector<std::string> story;
  for (uint64_t i = 0; i < steps; ++i) {
    InstantWords words(world.node_names());
    world.set_trace(&words);
    const bool stepped = r.stepper->step();
    world.set_trace(nullptr);
    if (!stepped) break;
    story.push_back(instant_words(world, *r.stepper, words));
  }
  return story;
}

WorldSearchResult search_timed(const Scenario& s, const SearchSpec& spec, uint64_t seed,
                               const WorldSearchProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  WorldSearchResult result;
  result.strategy = spec.strategy;
  const bool breadth_first = spec.strategy != "dfs";
  const uint64_t max_states = spec.max_states ? spec.max_states : kDefaultMaxStates;

  struct Pending {
    std::vector<uint32_t> path;  // every steered draw that reaches it
    uint32_t steps = 0;
  };
  // Looked up, never iterated: the search's order comes from the frontier alone. The fewest
  // steps each state was reached in.
  std::unordered_map<uint64_t, uint32_t> seen;
  std::deque<Pending> frontier;
  bool cut_by_depth = false;
  bool cut_by_horizon = false;

  const auto visit = [&](TimedReplay& r, std::vector<uint32_t> path, uint32_t steps) {
    ++result.generated_states;
    note_sometimes(*r.built.world, result.sometimes);
    if (auto broken = judge_world(r.built)) {
      result.violation = WorldSearchFinding{broken->first, broken->second, path, steps, {}};
      result.cut_by = "violation";
      return;
    }
    const uint64_t fingerprint = r.stepper->fingerprint();
    auto [it, fresh] = seen.try_emplace(fingerprint, steps);
    if (!fresh) {
      // Depth-first: reached by a shorter path, so expanded again (the depth bound is exact).
      if (breadth_first || steps >= it->second) return;
      it->second = steps;
    } else {
      ++result.distinct_states;
      result.depth = std::max<uint64_t>(result.depth, uint64_t{steps} + 1);
      if (spec.on_state) spec.on_state(fingerprint);
    }
    const std::optional<sim::TrueTime> next = r.built.world->next_event_at();
    if (!next || r.built.world->stopped()) return;
    if (*next > r.built.timed->horizon) {
      cut_by_horizon = true;
      return;
    }
    if (spec.max_depth != 0 && steps >= spec.max_depth) {
      cut_by_depth = true;
      return;
    }
    frontier.push_back(Pending{std::move(path), steps});
    if (seen.size() >= max_states) result.cut_by = "max-states";
  };

  {
    TimedReplay initial = replay_timed(s, {}, 0, seed);
    ++result.replays;
    result.variant = initial.built.variant;
    result.checkers = initial.built.checkers;
    result.left_out = initial.built.left_out;
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
    // Every combination of the draws of one step from this state: the fault injected (or none),
    // the order of the instant's events, the latency of each message they send.
    std::vector<uint32_t> suffix;
    const size_t from = state.path.size();
    while (result.cut_by.empty()) {
      std::vector<uint32_t> path = state.path;
      path.insert(path.end(), suffix.begin(), suffix.end());
      TimedReplay r = replay_timed(s, path, state.steps, seed);
      ++result.replays;
      sim::World& world = *r.built.world;
      InstantWords words(world.node_names());
      world.set_trace(&words);
      const bool stepped = r.stepper->step();
      world.set_trace(nullptr);
      if (!stepped) break;  // cannot happen: the state was queued with an event to come
      if (!r.stepper->last_fault_kind().empty()) ++result.coverage[r.stepper->last_fault_kind()];
      for (const std::string& family : words.families) ++result.coverage[family];
      const std::vector<sim::TimedSteering::Draw> draws = r.steering->draws();
      visit(r, values_of(draws), state.steps + 1);
      if (!next_suffix(draws, from, suffix)) break;
    }
    if (progress && result.generated_states % 1024 == 0) progress(result);
  }
  if (result.cut_by.empty() && cut_by_depth) result.cut_by = "max-depth";
  if (result.cut_by.empty() && cut_by_horizon) result.cut_by = "horizon";
  result.exhausted = result.cut_by.empty();
  if (result.violation) {
    result.violation->story = timed_story(s, result.violation->path, result.violation->steps, seed);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace faultline::run
