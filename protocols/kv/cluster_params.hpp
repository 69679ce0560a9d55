#pragma once
// The scenario parameters every replicated kv service shares, read strictly: servers s1..sN and
// kv clients, the failure detector's randomized timeout (which the heartbeat must undercut), an
// optional bootstrap leader and the liveness bound. Raft calls its timeout election_timeout,
// Multi-Paxos takeover_timeout.

#include <string>

#include "protocols/kv/client.hpp"
#include "protocols/params.hpp"

namespace faultline::protocols::kv {

struct ClusterParams {
  int servers = 5;
  int clients = 3;
  KvClientOptions client;
  sim::Duration timeout_min;
  sim::Duration timeout_max;
  sim::Duration heartbeat;
  std::string bootstrap_leader;  // "" = none
  sim::Duration liveness_bound = sim::seconds(5);
};

// How a protocol names its timeout and says why the errors matter.
struct TimeoutWording {
  std::string name;             // "election_timeout": the fields are name_min and name_max
  std::string why_randomized;   // ends the max's error: "(randomized, §5.2)"
  std::string heartbeat_needs;  // ends the heartbeat's error: "or followers never hear a leader"
};

ClusterParams read_cluster_params(Fields& p, const TimeoutWording& timeout);

}  // namespace faultline::protocols::kv
