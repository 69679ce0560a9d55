#include "run/world_search.hpp"

#include <algorithm>
#include <memory>

#include "run/runner.hpp"
#include "run/schedule_shrink.hpp"
#include "run/stateless_search.hpp"
#include "run/timed_search.hpp"
#include "sim/random.hpp"

namespace faultline::run {

namespace {

// A fresh untimed world of the scenario, stepped along `path`: each step with more than one
// action to choose from reads the path's next value (past its end, 0: the first action).
class UntimedNode final : public SearchNode {
 public:
  UntimedNode(const Scenario& s, std::vector<uint32_t> path, uint64_t steps, uint64_t seed) {
    auto steering = std::make_unique<sim::SteeredChoices>(std::move(path), seed);
    steering_ = steering.get();
    built_ = build_world(s, std::move(steering), true);
    for (uint64_t i = 0; i < steps && built_.world->step();) ++i;
  }
  BuiltWorld& built() override { return built_; }
  uint64_t fingerprint() const override { return built_.world->fingerprint(); }
  Ahead ahead() override {
    actions_ = built_.world->untimed_actions();
    return actions_.empty() ? Ahead::kNothing : Ahead::kSteps;
  }
  std::vector<NamedStep> named_steps() override {
    std::vector<NamedStep> named;
    named.reserve(actions_.size());
    for (const sim::UntimedAction& a : actions_) {
      named.push_back({fnv1a(built_.world->describe(a)), built_.world->action_node(a)});
    }
    return named;
  }
  bool step(std::map<std::string, uint64_t>& coverage) override {
    sim::World& world = *built_.world;
    const std::vector<sim::UntimedAction> actions = world.untimed_actions();
    if (actions.empty()) return false;
    from_ = steering_->consumed();
    const std::vector<uint32_t>& path = steering_->path();
    const uint32_t choice = from_ < path.size() ? path[from_] : 0;
    const auto bound = static_cast<uint32_t>(actions.size());
    ++coverage[world.action_family(actions[std::min(choice, bound - 1)])];
    world.step();
    draws_.clear();
    if (bound > 1) draws_.push_back({std::min(choice, bound - 1), bound});
    return true;
  }
  std::vector<uint32_t> path() const override {
    const std::vector<uint32_t>& path = steering_->path();
    std::vector<uint32_t> out(path.begin(),
                              path.begin() + std::min(path.size(), steering_->consumed()));
    out.resize(steering_->consumed(), 0);
    return out;
  }
  std::vector<StepDraw> draws_from(size_t from) const override {
    return from == from_ ? draws_ : std::vector<StepDraw>{};
  }

 private:
  BuiltWorld built_;
  sim::SteeredChoices* steering_ = nullptr;  // owned by the world
  std::vector<sim::UntimedAction> actions_;  // what it can do next (ahead())
  size_t from_ = 0;                          // the path's values read before the last step
  std::vector<StepDraw> draws_;              // the last step's draw, if it had a choice
};

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
  SearchStepper stepper;
  stepper.replay = [&](const std::vector<uint32_t>& path, uint64_t steps) {
    return std::unique_ptr<SearchNode>(std::make_unique<UntimedNode>(s, path, steps, seed));
  };
  stepper.story = [&](const std::vector<uint32_t>& path, uint64_t steps) {
    return world_story(s, path, steps, seed);
  };
  // Depth-first search's counterexample is the first schedule met, often far longer than the
  // bug needs.
  stepper.shorten = [&](const WorldSearchFinding& found) {
    return shrink_schedule(s, found, seed);
  };
  return stateless_search(stepper, spec, progress);
}

}  // namespace faultline::run
