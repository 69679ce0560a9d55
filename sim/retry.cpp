// Retrying a fiber call over interchangeable servers; see retry.hpp.
#include "sim/retry.hpp"

#include <algorithm>
#include <cassert>

namespace faultline::sim {

std::optional<Message> RetryTargets::call(Process& co, const Payload& request,
                                          const RetryPolicy& policy,
                                          const RetryClassifier& classify) {
  assert(!targets_.empty() && "RetryTargets::call with no targets");
  const bool forever = policy.give_up_after == Duration{};
  const LocalTime deadline = co.now() + policy.give_up_after;
  for (int attempt = 1; forever || co.now() < deadline; ++attempt) {
    std::optional<Message> reply = co.call(targets_[current_], request, policy.call_timeout);
    const RetryStep step = classify(reply);
    if (step.kind == RetryStep::Kind::kDone) return reply;
    if (policy.max_attempts > 0 && attempt >= policy.max_attempts) break;
    auto named = std::find(targets_.begin(), targets_.end(), step.redirect);
    if (named != targets_.end() && static_cast<size_t>(named - targets_.begin()) != current_) {
      current_ = static_cast<size_t>(named - targets_.begin());
      continue;  // redirected to a target it knows: no reason to wait
    }
    if (step.kind == RetryStep::Kind::kNext) current_ = (current_ + 1) % targets_.size();
    if (policy.backoff > Duration{}) co.sleep(policy.backoff);
  }
  return std::nullopt;
}

}  // namespace faultline::sim
