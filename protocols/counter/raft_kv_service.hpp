#pragma once
// The replicated kv service that the kv-counter and optimistic-lock clients run against: a Raft
// cluster "s1".."sN" serving protocols/kv's store (protocols/raft, s1 its first leader), with the
// scenario parameters those workloads share. The store's final state is the committed log
// replayed through the kv state machine, from the Raft ghost (it survives every crash), which is
// what the final-value checkers judge.

#include <string>
#include <vector>

#include "protocols/kv/session.hpp"
#include "protocols/params.hpp"
#include "protocols/raft/raft_ghost.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::counter {

// What the kv workloads' clients share.
struct KvWorkloadParams {
  int servers = 3;
  int clients = 3;
  int operations = 20;  // per client
  int read_percent = 30;
  sim::Duration think = sim::milliseconds(20);
  kv::KvSessionTimeouts timeouts;
  sim::Duration give_up_after = sim::seconds(2);  // per operation, read-modify-write included
  sim::Duration liveness_bound = sim::seconds(5);
};

KvWorkloadParams read_kv_workload_params(Fields& p);

class RaftKvService {
 public:
  // Adds the servers; their factories point at this object, which must not move afterwards.
  void build(sim::World& world, int servers);
  const std::vector<sim::NodeId>& servers() const { return servers_; }
  // The value of `key` after every committed command ("" when absent).
  std::string final_value(const std::string& key) const;
  size_t entries_committed() const { return ghost_.committed.size(); }

 private:
  std::vector<sim::NodeId> servers_;
  raft::RaftGhost ghost_;
};

}  // namespace faultline::protocols::counter
