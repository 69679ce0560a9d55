#pragma once
// The message broker of the choreographed saga: a durable queue per subscriber, delivery at least
// once (an unacknowledged delivery is sent again after `redelivery_timeout`, and again after a
// broker restart). A published event is acknowledged to its publisher only once it is on disk in
// every subscriber's queue; a republished event (same id) is acknowledged and not queued twice.
// Consumers must therefore expect every event more than once.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "protocols/saga/messages.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::saga {

struct BrokerOptions {
  std::map<std::string, std::vector<std::string>> subscribers;  // topic -> subscriber nodes
  sim::Duration redelivery_timeout = sim::milliseconds(200);
};

class Broker : public sim::Node {
 public:
  explicit Broker(const BrokerOptions& options) : options_(&options) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool fingerprint_state(sim::StateHasher& hasher) const override;  // saga_fingerprint.cpp
  // Nothing left to deliver: every queued event was acknowledged.
  bool drained() const { return pending_.empty(); }

 private:
  struct Pending {
    QueuedEvent entry;
    sim::LocalTime sent;
  };
  void deliver(sim::Context& ctx, uint64_t id, Pending& pending);

  const BrokerOptions* options_;
  std::map<uint64_t, Pending> pending_;
  uint64_t next_delivery_ = 1;
};

}  // namespace faultline::protocols::saga
