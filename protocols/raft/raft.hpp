#pragma once
// Raft with a replicated key-value service, as the runner sees it: servers "s1".."sN" running
// protocols/raft/raft_node, and clients "client1".."clientM" running the kv workload of
// protocols/kv/client. Variants: "correct" (the default) and one known bug each:
// "commit-old-term" (Figure 8), "volatile-vote", "local-reads".

#include "protocols/protocol.hpp"

namespace faultline::protocols::raft {

ProtocolInfo raft_info();

}  // namespace faultline::protocols::raft
