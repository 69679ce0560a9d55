// The scripted administrator of membership changes (see membership_admin.hpp).
#include "protocols/raft/membership_admin.hpp"

#include <algorithm>

#include "protocols/kv/messages.hpp"
#include "protocols/raft/messages.hpp"

namespace faultline::protocols::raft {
namespace {

bool submit(sim::Process& co, const MembershipAdminOptions& options,
            const std::vector<sim::NodeId>& servers, size_t& target, const MembershipStep& step) {
  const sim::LocalTime deadline = co.now() + options.give_up_after;
  while (co.now() < deadline) {
    auto reply =
        co.call(servers[target], MembershipChange{step.op, step.server}, options.call_timeout);
    const auto* answer = reply ? reply->payload.as<kv::ClientReply>() : nullptr;
    if (answer && answer->status == "ok") return true;
    auto hinted =
        answer ? std::find(servers.begin(), servers.end(), answer->leader_hint) : servers.end();
    if (hinted != servers.end() && static_cast<size_t>(hinted - servers.begin()) != target) {
      target = static_cast<size_t>(hinted - servers.begin());
      continue;
    }
    // A "retry" from a leader may come from a leader that can never commit (cut off from its
    // majority): the administrator does not know, so it moves on rather than wait there.
    target = (target + 1) % servers.size();
    co.sleep(options.retry_backoff);
  }
  return false;
}

}  // namespace

int run_membership_admin(sim::Process& co, const MembershipAdminOptions& options,
                         const std::vector<sim::NodeId>& servers) {
  const sim::LocalTime start = co.now();
  size_t target = 0;
  int done = 0;
  for (const MembershipStep& step : options.steps) {
    const sim::LocalTime when = start + step.at;
    if (co.now() < when) co.sleep(when - co.now());
    done += submit(co, options, servers, target, step) ? 1 : 0;
  }
  return done;
}

}  // namespace faultline::protocols::raft
