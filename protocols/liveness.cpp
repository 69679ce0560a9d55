#include "protocols/liveness.hpp"

#include <utility>

#include "checkers/safety/bounded_liveness.hpp"

namespace faultline::protocols {

int64_t liveness_window_opens_ns(const sim::World& world, LivenessWindow window) {
  switch (window) {
    case LivenessWindow::kHealed: {
      const std::optional<sim::TrueTime> healthy = world.healthy_since();
      return healthy ? healthy->ns() : world.now().ns();
    }
    case LivenessWindow::kLastFaultChange:
      return world.last_fault_change().ns();
  }
  return world.now().ns();
}

std::optional<Finding> bounded_liveness_finding(const sim::World& world, LivenessDue due) {
  checkers::BoundedLivenessInput input;
  input.progress = std::move(due.progress);
  input.bound_ns = due.bound.ns();
  input.run_end_ns = world.now().ns();
  input.healed_at_ns = liveness_window_opens_ns(world, due.window);
  input.progress_at_ns = std::move(due.progress_at_ns);
  checkers::BoundedLivenessResult result = checkers::check_bounded_liveness(input);
  if (!result.finding) return std::nullopt;
  result.finding->checker = "liveness";
  result.finding->involved = std::move(due.involved);
  return std::move(result.finding);
}

}  // namespace faultline::protocols
