#pragma once
// A failover monitor in the manner of Redis Sentinel, reduced to one sentinel: it pings both
// servers every ping_interval, telling each the current epoch and primary, and when the primary
// has not answered for failover_after while the replica has, it promotes the replica in a new
// epoch (kept durably, so a restarted sentinel never reuses one). The old primary learns of its
// demotion from the next ping it hears, or from the new primary's replication stream; it then
// resynchronises from the new primary as its replica.
//
// The sentinel cannot tell a dead primary from one it cannot reach: under a partition the old
// primary may go on serving the clients that still reach it. Whether that loses acknowledged
// increments depends on when the primary acknowledges (redis_server.hpp).

#include <array>
#include <cstdint>
#include <string>

#include "protocols/counter/messages.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::counter {

struct SentinelOptions {
  std::array<sim::NodeId, 2> servers{sim::kNoNode, sim::kNoNode};  // the first is primary at first
  sim::Duration ping_interval = sim::milliseconds(20);
  sim::Duration failover_after = sim::milliseconds(200);
};

class Sentinel : public sim::Node {
 public:
  explicit Sentinel(SentinelOptions options) : options_(options) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;

 private:
  size_t index_of(sim::NodeId node) const { return options_.servers[1] == node ? 1 : 0; }

  SentinelOptions options_;
  SentinelState state_;
  std::array<sim::LocalTime, 2> last_heard_{};
};

}  // namespace faultline::protocols::counter
