#include "run/schedule_shrink.hpp"

#include <string>
#include <vector>

#include "run/runner.hpp"

namespace faultline::run {

namespace {

// Takes the steps `wanted` names, in order, from a fresh world; passes over a step that is not
// enabled at its turn. The finding where `checker` first breaks; nullopt when the schedule ends
// without it, or when another checker breaks first (a different bug is not this one, shorter).
std::optional<WorldSearchFinding> try_schedule(const Scenario& s,
                                               const std::vector<std::string>& wanted,
                                               const std::string& checker, uint64_t seed) {
  auto owned = std::make_unique<sim::SteeredChoices>(std::vector<uint32_t>{}, seed);
  sim::SteeredChoices* steer = owned.get();
  BuiltWorld built = build_world(s, std::move(owned), true);
  sim::World& world = *built.world;
  WorldSearchFinding taken;
  for (const std::string& want : wanted) {
    const std::vector<sim::UntimedAction> actions = world.untimed_actions();
    if (actions.empty()) break;
    size_t pick = actions.size();
    for (size_t i = 0; i < actions.size() && pick == actions.size(); ++i) {
      if (world.describe(actions[i]) == want) pick = i;
    }
    if (pick == actions.size()) continue;
    if (actions.size() > 1) steer->then(static_cast<uint32_t>(pick));
    world.step();
    ++taken.steps;
    taken.story.push_back(want);
    if (auto broken = judge_world(built)) {
      if (broken->first != checker) return std::nullopt;
      taken.checker = broken->first;
      taken.message = broken->second;
      taken.path = steer->path();
      return taken;
    }
  }
  return std::nullopt;
}

}  // namespace

WorldSearchFinding shrink_schedule(const Scenario& s, const WorldSearchFinding& found,
                                   uint64_t seed) {
  WorldSearchFinding best = found;
  uint64_t tries = 0;
  const auto attempt = [&](const std::vector<std::string>& steps) {
    ++tries;
    std::optional<WorldSearchFinding> shorter = try_schedule(s, steps, found.checker, seed);
    if (!shorter || shorter->steps >= best.steps) return false;
    best = std::move(*shorter);
    return true;
  };
  attempt(found.story);  // where the checker first breaks along the schedule as found
  for (size_t run = best.story.size() / 2; run >= 1 && tries < kMaxShrinkTries; run /= 2) {
    // Removes each run of `run` steps in turn; after a removal that keeps the violation, the same
    // position is tried again, since the steps behind it moved up.
    for (size_t start = 0; start < best.story.size() && tries < kMaxShrinkTries;) {
      std::vector<std::string> candidate = best.story;
      candidate.erase(
          candidate.begin() + static_cast<std::ptrdiff_t>(start),
          candidate.begin() + static_cast<std::ptrdiff_t>(std::min(start + run, candidate.size())));
      if (!attempt(candidate)) start += run;
    }
  }
  if (best.steps < found.steps) best.shrunk_from = found.steps;
  return best;
}

}  // namespace faultline::run
