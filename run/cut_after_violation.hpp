#pragma once
// A failing run cut short soon after its violation: a shorter run is a shorter trace and diagram.
// Checkers that judge at the end (a history, a liveness bound) may need what comes after the
// violation, so the margin grows (100 ms, 1 s, a quarter of the run) until the failure shows.

#include <cstdint>
#include <functional>
#include <optional>

namespace faultline::run {

// The first cut, violation + margin and shorter than `duration_ns`, at which `still_fails(cut)`
// holds; nullopt when none does (or none is shorter than the run).
inline std::optional<int64_t> cut_after_violation(int64_t violated_at_ns, int64_t duration_ns,
                                                  const std::function<bool(int64_t)>& still_fails) {
  for (int64_t margin : {int64_t{100'000'000}, int64_t{1'000'000'000}, duration_ns / 4}) {
    int64_t cut = violated_at_ns + margin;
    if (cut >= duration_ns) return std::nullopt;
    if (still_fails(cut)) return cut;
  }
  return std::nullopt;
}

}  // namespace faultline::run
