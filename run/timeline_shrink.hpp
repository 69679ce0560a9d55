#pragma once
// Shrinking a failing run to a minimal fault timeline: the faults the run suffered (the nemesis's
// as it drew them) become an explicit `faults` list with the nemesis removed; then the run is cut
// short after the violation, and faults are removed (delta debugging: halves, quarters, ... single
// faults) while the same checker still fires with the same seed. The result is a scenario file a
// person can read - a handful of faults at stated times - rather than a tape of numbers.
//
// The seed's other random streams (latencies, ties, the workload) are untouched by removing the
// nemesis: each stream is drawn apart. A run whose violation depends on the nemesis's own draws
// in some other way is reported as not reproduced, and the tape shrinker remains.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "run/scenario.hpp"

namespace faultline::run {

struct TimelineShrinkResult {
  bool reproduced = false;  // the explicit timeline failed the same way as the nemesis run
  nlohmann::json scenario;  // the minimal scenario document (valid when reproduced)
  size_t faults_before = 0;
  size_t faults_after = 0;
  int64_t duration_before_ns = 0;
  int64_t duration_after_ns = 0;
  size_t replays = 0;
};

// Shrinks `seed` of `scenario`, which must violate `checker`. At most `budget` replays.
TimelineShrinkResult shrink_to_timeline(const Scenario& scenario, uint64_t seed,
                                        const std::string& checker, size_t budget);

}  // namespace faultline::run
