#pragma once
// The administrator of a Raft cluster as a fiber: at each scripted time it asks the leader to add
// or remove one server (thesis §4.1) and retries, following leader hints and otherwise trying
// each server in turn, until the change is committed or it gives up on that step.

#include <string>
#include <vector>

#include "sim/fiber.hpp"

namespace faultline::protocols::raft {

struct MembershipStep {
  sim::Duration at;  // on the administrator's clock, from its start
  std::string op;    // "add" or "remove"
  std::string server;
};

struct MembershipAdminOptions {
  std::vector<MembershipStep> steps;
  sim::Duration call_timeout = sim::milliseconds(50);
  sim::Duration retry_backoff = sim::milliseconds(10);
  sim::Duration give_up_after = sim::seconds(2);  // per step
};

// Returns how many steps were acknowledged as committed.
int run_membership_admin(sim::Process& co, const MembershipAdminOptions& options,
                         const std::vector<sim::NodeId>& servers);

}  // namespace faultline::protocols::raft
