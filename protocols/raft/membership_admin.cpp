// The scripted administrator of membership changes (see membership_admin.hpp).
#include "protocols/raft/membership_admin.hpp"

#include "protocols/kv/leader_hint.hpp"
#include "protocols/raft/messages.hpp"
#include "sim/retry.hpp"

namespace faultline::protocols::raft {

int run_membership_admin(sim::Process& co, const MembershipAdminOptions& options,
                         const std::vector<sim::NodeId>& servers) {
  const sim::LocalTime start = co.now();
  const sim::RetryPolicy policy{options.call_timeout, options.retry_backoff, options.give_up_after};
  sim::RetryTargets targets(servers, 0);  // the leader found for one step is tried first next
  int done = 0;
  for (const MembershipStep& step : options.steps) {
    const sim::LocalTime when = start + step.at;
    if (co.now() < when) co.sleep(when - co.now());
    // A "retry" from a leader may come from a leader that can never commit (cut off from its
    // majority): the administrator does not know, so it moves on rather than wait there.
    auto reply = targets.call(co, MembershipChange{step.op, step.server}, policy,
                              [](const auto& r) { return kv::leader_retry_step(r, false); });
    done += reply ? 1 : 0;
  }
  return done;
}

}  // namespace faultline::protocols::raft
