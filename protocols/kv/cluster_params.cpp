#include "protocols/kv/cluster_params.hpp"

#include "protocols/kv/client_params.hpp"

namespace faultline::protocols::kv {

ClusterParams read_cluster_params(Fields& p, const TimeoutWording& timeout) {
  ClusterParams out;
  out.servers = static_cast<int>(p.integer("servers", 5, 1, 15));
  out.clients = static_cast<int>(p.integer("clients", 3, 0, 100));
  read_kv_client_params(p, out.client);
  const std::string min = timeout.name + "_min";
  const std::string max = timeout.name + "_max";
  out.timeout_min =
      p.duration(min, sim::milliseconds(150), sim::microseconds(1), sim::seconds(3600));
  out.timeout_max = p.duration(max, out.timeout_min * 2, sim::microseconds(1), sim::seconds(3600));
  if (out.timeout_max <= out.timeout_min) {
    p.fail(max, "a duration above " + min + " " + timeout.why_randomized);
  }
  out.heartbeat = p.duration("heartbeat", sim::milliseconds(50), sim::microseconds(1));
  if (out.heartbeat >= out.timeout_min) {
    p.fail("heartbeat", "a duration below " + min + ", " + timeout.heartbeat_needs);
  }
  out.bootstrap_leader = p.string("bootstrap_leader", "");
  if (!out.bootstrap_leader.empty()) {
    bool known = false;
    for (int i = 1; i <= out.servers; ++i) known |= out.bootstrap_leader == "s" + std::to_string(i);
    if (!known) p.fail("bootstrap_leader", "a server name, s1..s" + std::to_string(out.servers));
  }
  out.liveness_bound = p.duration("liveness_bound", sim::seconds(5), sim::milliseconds(1));
  return out;
}

}  // namespace faultline::protocols::kv
