// Lease reads (Ongaro's thesis §6.4.1). Once a majority has acknowledged a heartbeat round, none
// of them votes for another server until election_min has passed on its own clock since it
// received that round (§4.2.3; raft_node.cpp). No successor can exist before then, so the leader
// may answer reads from its own state until then, measured on its own monotonic clock from the
// round's send time (which precedes every receipt) and shortened for the worst clock drift the
// deployment promises.
#include <algorithm>

#include "protocols/raft/raft_node.hpp"

namespace faultline::protocols::raft {

void RaftNode::start_round(sim::Context& ctx) {
  ++round_;
  if (options_.reads == ReadMode::kLease) round_sent_.emplace(round_, ctx.now());
}

sim::Duration RaftNode::lease_length() const {
  const sim::Duration timeout = options_.election_min;
  // The bug trusts its own clock to run at the followers' rate.
  if (options_.bug == RaftBug::kLeaseIgnoresDrift) return timeout;
  // A follower's clock may run fast by the allowance while ours runs slow by it: its timeout
  // lasts election_min / (1 + d) of true time, our lease L lasts L / (1 - d).
  const int64_t ppm = options_.lease_drift_ppm;
  return sim::Duration::nanoseconds(static_cast<int64_t>(static_cast<sim::Int128>(timeout.ns()) *
                                                         (1'000'000 - ppm) / (1'000'000 + ppm)));
}

void RaftNode::extend_lease(sim::Context& ctx) {
  // The latest round a majority (ourselves included) has acknowledged.
  // A majority of the configuration in force; a leader that removed itself does not count.
  std::vector<uint64_t> acked;
  for (sim::NodeId member : members_) {
    if (member == ctx.self()) continue;
    const size_t p =
        static_cast<size_t>(std::find(options_.servers.begin(), options_.servers.end(), member) -
                            options_.servers.begin());
    acked.push_back(acked_round_[p]);
  }
  std::sort(acked.rbegin(), acked.rend());
  const size_t others_needed = majority() - (is_member(ctx.self()) ? 1 : 0);
  if (others_needed == 0 || acked.size() < others_needed) return;
  const uint64_t confirmed = acked[others_needed - 1];
  auto it = round_sent_.find(confirmed);
  if (it == round_sent_.end()) return;  // already counted, or from before this term
  // The bug dates the lease from now, when the acknowledgements were counted.
  const sim::LocalTime start = options_.bug == RaftBug::kLeaseFromAcks ? ctx.now() : it->second;
  const sim::LocalTime until = start + lease_length();
  if (!lease_until_ || *lease_until_ < until) lease_until_ = until;
  ctx.hold_interval(kLeaseInterval, *lease_until_);  // one bar while renewals keep it alive
  round_sent_.erase(round_sent_.begin(), std::next(it));
}

bool RaftNode::lease_holds(sim::Context& ctx) const {
  if (members_.size() == 1 && is_member(ctx.self())) return true;  // alone: nobody else leads
  return lease_until_ && ctx.now() < *lease_until_;
}

}  // namespace faultline::protocols::raft
