#include "checkers/safety/bounded_liveness.hpp"

#include <algorithm>

#include "base/format_ns.hpp"

namespace faultline::checkers {

BoundedLivenessResult check_bounded_liveness(const BoundedLivenessInput& input) {
  const int64_t deadline =
      input.bound_ns >= kNever - input.healed_at_ns ? kNever : input.healed_at_ns + input.bound_ns;
  BoundedLivenessResult result;
  for (int64_t t : input.progress_at_ns) {
    if (t < input.healed_at_ns || t > deadline) continue;  // before the heal proves nothing
    if (!result.progress_at_ns || t < *result.progress_at_ns) result.progress_at_ns = t;
  }
  if (result.progress_at_ns) {
    result.waited_ns = *result.progress_at_ns - input.healed_at_ns;
    return result;
  }
  if (input.run_end_ns < deadline) {
    result.inconclusive = true;
    result.waited_ns = std::max<int64_t>(0, input.run_end_ns - input.healed_at_ns);
    return result;
  }
  result.waited_ns = input.bound_ns;
  // Progress after the deadline is worth naming: it tells a slow system from a stuck one.
  std::optional<int64_t> late;
  for (int64_t t : input.progress_at_ns) {
    if (t > deadline && (!late || t < *late)) late = t;
  }
  Finding f;
  f.checker = "bounded-liveness";
  f.at_ns = deadline;
  f.message = "no progress (" + input.progress + ") within " + format_ns(input.bound_ns) +
              " after the last fault healed at " + format_ns(input.healed_at_ns) + ": waited " +
              format_ns(result.waited_ns) + " until " + format_ns(deadline) +
              (late ? ", it came only at " + format_ns(*late) + " (" +
                          format_ns(*late - input.healed_at_ns) + " after the heal)"
                    : std::string(", and it never came before the run ended at ") +
                          format_ns(input.run_end_ns));
  result.finding = std::move(f);
  return result;
}

}  // namespace faultline::checkers
