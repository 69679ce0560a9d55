#pragma once
// The broker: one durable queue, served by a primary, optionally mirrored to a second broker that
// takes over when the primary falls silent (RabbitMQ's classic mirrored queue; the failover of
// its "promote an unsynchronised mirror" setting when `replicate_before_confirm` is off).
//
// Publishes are deduplicated by message id and confirmed once durable: on the primary's disk
// and, with a mirror and `replicate_before_confirm`, on the mirror's too. With manual acks the
// queue hands out one delivery at a time (RabbitMQ's single active consumer with a prefetch of
// one): the head stays queued until acknowledged and is delivered again after `ack_timeout`, so
// each producer's messages are processed in the order they were confirmed. With auto-ack a Get
// removes the head at once (durably, and on the mirror first when the primary waits for it).
//
// Failover: the primary sends the mirror its whole contents after each change and every
// `heartbeat`; a mirror that hears nothing for `failover_timeout` claims the next epoch and
// serves. A broker that learns of a newer epoch steps down and takes the new primary's contents,
// discarding whatever of its own the new primary never had.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocols/queue/ghost.hpp"
#include "protocols/queue/messages.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::queue {

struct BrokerOptions {
  std::vector<std::string> brokers;  // the first is the initial primary; one or two
  bool replicate_before_confirm = true;
  sim::Duration ack_timeout = sim::milliseconds(200);
  sim::Duration heartbeat = sim::milliseconds(20);
  sim::Duration failover_timeout = sim::milliseconds(150);
  QueueGhost* ghost = nullptr;  // told of each failover (a figure, not part of the protocol)
};

class Broker : public sim::Node {
 public:
  explicit Broker(const BrokerOptions& options) : options_(&options) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerId timer, uint64_t tag) override;
  std::string describe() const override;
  bool leads() const override { return state_.claimed; }

 private:
  // A reply that waits until the mirror holds `version`.
  struct Held {
    int64_t version = 0;
    sim::Message request;
    sim::Payload reply;
  };
  struct InFlight {
    uint64_t delivery = 0;
    std::string id;
    sim::LocalTime sent;
  };

  bool mirrored() const { return options_->brokers.size() > 1; }
  std::string peer_name(sim::Context& ctx) const;
  std::string primary_name(sim::Context& ctx) const;
  void on_publish(sim::Context& ctx, const sim::Message& message, const Publish& publish);
  void on_get(sim::Context& ctx, const sim::Message& message, const Get& get);
  void on_ack(sim::Context& ctx, const Ack& ack);
  void on_sync(sim::Context& ctx, const sim::Message& message, const Sync& sync);
  // A change to the contents: persisted, and sent to the mirror at once when confirms wait for it.
  void changed(sim::Context& ctx);
  void persist(sim::Context& ctx);
  void send_sync(sim::Context& ctx);
  // Answers now, or once the mirror holds the current version when confirms wait for it.
  void answer(sim::Context& ctx, const sim::Message& request, sim::Payload reply);
  void release(sim::Context& ctx);
  void step_down(sim::Context& ctx, int64_t epoch);

  const BrokerOptions* options_;
  BrokerState state_;
  int64_t mirror_version_ = -1;  // the newest version the mirror acknowledged in this epoch
  std::vector<Held> held_;
  std::optional<InFlight> in_flight_;
  sim::LocalTime last_heard_;  // from the primary, while a mirror
};

}  // namespace faultline::protocols::queue
