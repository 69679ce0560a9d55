// The Raft-replicated kv service under the kv workloads; see raft_kv_service.hpp.
#include "protocols/counter/raft_kv_service.hpp"

#include "protocols/kv/store.hpp"
#include "protocols/raft/raft_node.hpp"

namespace faultline::protocols::counter {

KvWorkloadParams read_kv_workload_params(Fields& p) {
  KvWorkloadParams out;
  out.servers = static_cast<int>(p.integer("servers", 3, 1, 15));
  out.clients = static_cast<int>(p.integer("clients", 3, 1, 100));
  out.operations = static_cast<int>(p.integer("operations", 20, 1, 100000));
  out.read_percent = static_cast<int>(p.integer("read_percent", 30, 0, 100));
  out.think = p.duration("think", out.think);
  out.timeouts.call_timeout =
      p.duration("call_timeout", out.timeouts.call_timeout, sim::microseconds(1));
  out.timeouts.retry_backoff =
      p.duration("retry_backoff", out.timeouts.retry_backoff, sim::microseconds(1));
  out.give_up_after = p.duration("give_up_after", out.give_up_after, sim::microseconds(1));
  out.liveness_bound = p.duration("liveness_bound", out.liveness_bound, sim::milliseconds(1));
  return out;
}

void RaftKvService::build(sim::World& world, int servers) {
  for (int i = 1; i <= servers; ++i) {
    // Nodes boot when the run starts, after every server has been added: servers_ is whole.
    servers_.push_back(world.add_node("s" + std::to_string(i), [this, i] {
      raft::RaftOptions options;
      options.servers = servers_;
      options.bootstrap = i == 1;  // a first leader without a contest
      return std::make_unique<raft::RaftNode>(options, ghost_);
    }));
  }
}

std::string RaftKvService::final_value(const std::string& key) const {
  kv::KvStore store;
  for (const auto& [index, entry] : ghost_.committed) {
    if (!entry.noop && entry.config.empty()) store.apply(entry.command);
  }
  return store.read(key);
}

}  // namespace faultline::protocols::counter
