#pragma once
// Bounded liveness for every protocol family: where the window opens in a run (the kernel's
// healthy_since() or last_fault_change()), the checker's input built from the world, and its
// result as a "liveness" finding that names the nodes involved. One adapter between sim::World and
// checkers::check_bounded_liveness, which knows nothing of the kernel.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/finding.hpp"
#include "sim/time.hpp"
#include "sim/world.hpp"

namespace faultline::protocols {

// When the progress becomes due, for a protocol's failure model.
enum class LivenessWindow {
  // Once no fault is in force (World::healthy_since()): a protocol that needs every node. A run
  // still faulty at its end never opened the window, which proves nothing either way.
  kHealed,
  // At the last change of the fault state (World::last_fault_change()), a node down for good
  // included: a non-blocking protocol must progress despite a crash-stop failure.
  kLastFaultChange,
};

// The true time the window opens, in nanoseconds (the run's end if it never opened).
int64_t liveness_window_opens_ns(const sim::World& world, LivenessWindow window);

struct LivenessDue {
  std::string progress;                 // what must happen, for the message: "a value chosen"
  sim::Duration bound;                  // due within this long after the window opens
  std::vector<int64_t> progress_at_ns;  // every time it happened (none: it never did)
  std::vector<std::string> involved;    // the finding's nodes (or processes)
  LivenessWindow window = LivenessWindow::kHealed;
};

// A "liveness" finding when the bound passed in `world` without the progress; nullopt when it came
// in time or the run ended before the bound passed.
std::optional<Finding> bounded_liveness_finding(const sim::World& world, LivenessDue due);

}  // namespace faultline::protocols
