#include "run/timed_search.hpp"

#include <memory>
#include <optional>

#include "run/runner.hpp"
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

}  // namespace

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
  return stateless_search(stepper, spec, progress);
}

}  // namespace faultline::run
