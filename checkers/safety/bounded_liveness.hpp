#pragma once
// Bounded liveness, the second phase of a VOPR-style run: faults may stop progress, but once the
// last fault has healed the system must make the named progress (elect a leader, decide, commit)
// within a stated bound. A run that ends before the bound has passed proves nothing either way.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/finding.hpp"

namespace faultline::checkers {

struct BoundedLivenessInput {
  std::string progress;                 // what must happen, for messages: "a leader elected"
  int64_t healed_at_ns = 0;             // true time the last fault healed
  int64_t bound_ns = 0;                 // progress is due within [healed_at, healed_at + bound]
  int64_t run_end_ns = 0;               // true time the run stopped
  std::vector<int64_t> progress_at_ns;  // every time the progress happened (any order)
};

struct BoundedLivenessResult {
  bool inconclusive = false;              // the run ended before healed_at + bound without progress
  std::optional<int64_t> progress_at_ns;  // first progress inside the window, if any
  int64_t waited_ns = 0;                  // how long after the heal we watched (or until progress)
  std::optional<Finding> finding;         // set when the bound passed without progress
};

BoundedLivenessResult check_bounded_liveness(const BoundedLivenessInput& input);

}  // namespace faultline::checkers
