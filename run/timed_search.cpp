#include "run/timed_search.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <tuple>

#include "run/runner.hpp"
#include "run/schedule_shrink.hpp"
#include "run/stateless_search.hpp"
#include "sim/timed_search.hpp"
#include "sim/trace.hpp"

namespace faultline::run {

namespace {

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
class TimedNode final : public SearchNode {
 public:
  TimedNode(const Scenario& s, std::vector<uint32_t> path, uint64_t steps, uint64_t seed) {
    auto steering = std::make_unique<sim::TimedSteering>(std::move(path), seed);
    steering_ = steering.get();
    built_ = build_world(s, std::move(steering), false);
    if (!built_.timed) {
      throw protocols::ScenarioError(s.file, "search.time", "\"timed\" for a timed search",
                                     "\"untimed\"");
    }
    stepper_ = std::make_unique<sim::TimedStepper>(*built_.world, *built_.timed);
    for (uint64_t i = 0; i < steps && stepper_->step();) ++i;
  }
  BuiltWorld& built() override { return built_; }
  sim::TimedStepper& stepper() { return *stepper_; }
  uint64_t fingerprint() const override { return stepper_->fingerprint(); }
  Ahead ahead() override {
    const std::optional<sim::TrueTime> next = built_.world->next_event_at();
    if (!next || built_.world->stopped()) return Ahead::kNothing;
    return *next > built_.timed->horizon ? Ahead::kPastHorizon : Ahead::kSteps;
  }
  // One instant: the fault injected (or none), the order of its events, the latency of each
  // message they send.
  bool step(std::map<std::string, uint64_t>& coverage) override {
    InstantWords words(built_.world->node_names());
    if (!step_told(words)) return false;
    if (!stepper_->last_fault_kind().empty()) ++coverage[stepper_->last_fault_kind()];
    for (const std::string& family : words.families) ++coverage[family];
    return true;
  }
  // Steps one instant, as step() does, telling `words` what happened in it.
  bool step_told(InstantWords& words) {
    built_.world->set_trace(&words);
    const bool stepped = stepper_->step();
    built_.world->set_trace(nullptr);
    return stepped;
  }
  std::vector<uint32_t> path() const override {
    std::vector<uint32_t> out;
    out.reserve(steering_->draws().size());
    for (const sim::TimedSteering::Draw& d : steering_->draws()) out.push_back(d.value);
    return out;
  }
  std::vector<StepDraw> draws_from(size_t from) const override {
    std::vector<StepDraw> out;
    const std::vector<sim::TimedSteering::Draw>& draws = steering_->draws();
    for (size_t i = from; i < draws.size(); ++i) out.push_back({draws[i].value, draws[i].bound});
    return out;
  }

 private:
  BuiltWorld built_;
  sim::TimedSteering* steering_ = nullptr;  // owned by the world
  std::unique_ptr<sim::TimedStepper> stepper_;
};

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

// Replays `path` from a fresh world, instant by instant, up to `most` instants: the finding
// where `checker` first breaks, with the draws taken to reach it; nullopt when it does not break
// within them, or another checker breaks first (a different bug is not this one, shorter).
std::optional<WorldSearchFinding> try_timed_path(const Scenario& s,
                                                 const std::vector<uint32_t>& path,
                                                 const std::string& checker, uint64_t most,
                                                 uint64_t seed) {
  TimedNode node(s, path, 0, seed);
  WorldSearchFinding taken;
  while (taken.steps < most && node.ahead() == SearchNode::Ahead::kSteps) {
    if (!node.stepper().step()) break;
    ++taken.steps;
    if (auto broken = judge_world(node.built())) {
      if (broken->first != checker) return std::nullopt;
      taken.checker = broken->first;
      taken.message = broken->second;
      taken.path = node.path();
      return taken;
    }
  }
  return std::nullopt;
}

// How far a path is from the plainest schedule, whose every draw is the first value (no fault,
// the first latency, simultaneous events in the order they were scheduled): its instants, then
// its draws off their first value, then their sum. Every change a shrink keeps lowers it.
std::tuple<uint64_t, uint64_t, uint64_t> distance(const WorldSearchFinding& f) {
  uint64_t off = 0, sum = 0;
  for (uint32_t d : f.path) {
    off += d != 0 ? 1 : 0;
    sum += d;
  }
  return {f.steps, off, sum};
}

}  // namespace

WorldSearchFinding shrink_timed_path(const Scenario& s, const WorldSearchFinding& found,
                                     uint64_t seed) {
  // A timed schedule's steps are instants, and what happens in them follows from the draws:
  // the shrink sets runs of draws to their first value (delta debugging, from half the path down
  // to single draws), lowers each draw left, and moves each to another place, keeping a change
  // when the same checker still breaks and the schedule is nearer the plainest one (distance
  // above), until no pass keeps one. Each try replays a fresh world.
  WorldSearchFinding best = found;
  uint64_t tries = 0;
  const auto attempt = [&](const std::vector<uint32_t>& path) {
    ++tries;
    std::optional<WorldSearchFinding> other =
        try_timed_path(s, path, found.checker, best.steps, seed);
    if (!other || distance(*other) >= distance(best)) return false;
    best = std::move(*other);
    return true;
  };
  // The search's path ends at its last draw off the first value; every draw the schedule takes
  // is a place a fault could move to.
  if (auto whole = try_timed_path(s, found.path, found.checker, found.steps, seed))
    best.path = whole->path;
  const auto zero_runs = [&] {
    bool kept = false;
    for (size_t run = best.path.size() / 2; run >= 1 && tries < kMaxShrinkTries; run /= 2) {
      for (size_t start = 0; start < best.path.size() && tries < kMaxShrinkTries; start += run) {
        std::vector<uint32_t> candidate = best.path;
        const auto first = candidate.begin() + static_cast<std::ptrdiff_t>(start);
        const auto last = candidate.begin() +
                          static_cast<std::ptrdiff_t>(std::min(start + run, candidate.size()));
        if (std::all_of(first, last, [](uint32_t d) { return d == 0; })) continue;
        std::fill(first, last, 0u);
        kept |= attempt(candidate);
      }
    }
    return kept;
  };
  // A fault that must stay may still be another: an earlier instant, another node, a shorter
  // pause. Each draw's lower values, lowest first.
  const auto lower_values = [&] {
    bool kept = false;
    for (size_t i = 0; i < best.path.size() && tries < kMaxShrinkTries; ++i) {
      for (uint32_t v = 1; i < best.path.size() && v < best.path[i] && tries < kMaxShrinkTries;
           ++v) {
        std::vector<uint32_t> candidate = best.path;
        candidate[i] = v;
        if (attempt(candidate)) {
          kept = true;
          break;
        }
      }
    }
    return kept;
  };
  // A fault in the wrong instant: each draw left tried in every other place instead (a pause
  // injected later, say, may need fewer instants around it). A fault draw is taken only while
  // the budget has one left, so the places after it are draws the path does not have yet: the
  // path is padded with first values, an instant's worth each.
  const auto move_draws = [&] {
    bool kept = false;
    for (size_t i = 0; i < best.path.size() && tries < kMaxShrinkTries; ++i) {
      const size_t places = best.path.size() + best.steps;
      for (size_t j = 0; j < places && best.path[i] != 0 && tries < kMaxShrinkTries; ++j) {
        std::vector<uint32_t> candidate = best.path;
        candidate.resize(std::max(candidate.size(), j + 1), 0u);
        if (j == i || candidate[j] != 0) continue;
        std::swap(candidate[i], candidate[j]);
        if (attempt(candidate)) {
          kept = true;
          break;
        }
      }
    }
    return kept;
  };
  // Until no pass keeps a change: each kept change lowers the distance, so this ends.
  while (tries < kMaxShrinkTries) {
    const bool zeroed = zero_runs();
    const bool lowered = lower_values();
    const bool moved = move_draws();
    if (!zeroed && !lowered && !moved) break;
  }
  if (best.steps < found.steps || best.path != found.path) {
    best.story = timed_story(s, best.path, best.steps, seed);
    if (best.steps < found.steps) best.shrunk_from = found.steps;
  }
  return best;
}

std::vector<std::string> timed_story(const Scenario& s, const std::vector<uint32_t>& path,
                                     uint64_t steps, uint64_t seed) {
  TimedNode r(s, path, 0, seed);
  sim::World& world = *r.built().world;
  std::vector<std::string> story;
  for (uint64_t i = 0; i < steps; ++i) {
    InstantWords words(world.node_names());
    if (!r.step_told(words)) break;
    story.push_back(instant_words(world, r.stepper(), words));
  }
  return story;
}

WorldSearchResult search_timed(const Scenario& s, const SearchSpec& spec, uint64_t seed,
                               const WorldSearchProgress& progress) {
  SearchStepper stepper;
  stepper.replay = [&](const std::vector<uint32_t>& path, uint64_t steps) {
    return std::unique_ptr<SearchNode>(std::make_unique<TimedNode>(s, path, steps, seed));
  };
  stepper.story = [&](const std::vector<uint32_t>& path, uint64_t steps) {
    return timed_story(s, path, steps, seed);
  };
  // Depth-first search's counterexample is the first schedule met, often instants longer than
  // the bug needs, with faults and latencies that play no part in it.
  stepper.shorten = [&](const WorldSearchFinding& found) {
    return shrink_timed_path(s, found, seed);
  };
  return stateless_search(stepper, spec, progress);
}

}  // namespace faultline::run
