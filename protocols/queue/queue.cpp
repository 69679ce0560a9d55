// A message queue with producers and consumers (RabbitMQ's tutorials: publisher confirms,
// basic_get with automatic or manual acks, and a mirrored queue that fails over): the harness that
// builds brokers, producers, consumers and the sink, keeps the ghost, and judges the run.
#include "protocols/queue/queue.hpp"

#include <algorithm>
#include <map>

#include "protocols/history_recorder.hpp"
#include "protocols/history_sometimes.hpp"
#include "protocols/linearizable.hpp"
#include "protocols/queue/broker.hpp"
#include "protocols/queue/clients.hpp"
#include "protocols/queue/queue_checks.hpp"
#include "protocols/queue/sink.hpp"
#include "protocols/variants.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::queue {
namespace {

// What a variant changes: one mechanism each.
struct VariantFlags {
  bool auto_ack = false;
  bool idempotent = true;
  bool replicate_before_confirm = true;
};

const VariantTable<VariantFlags>& queue_variants() {
  static const VariantTable<VariantFlags> table({
      {"correct",
       "manual acks after the effect, an idempotent consumer (the sink keeps applied ids), "
       "publisher confirms once the mirror holds the message",
       false,
       {}},
      {"auto-ack",
       "basic_get with auto-ack: the broker forgets a message as it sends it, so a consumer that "
       "crashes before applying it loses it",
       true,
       {.auto_ack = true}},
      {"non-idempotent-consumer",
       "manual acks, but the consumer applies every delivery: a redelivered message (its ack "
       "lost, its consumer crashed after applying) is applied twice",
       true,
       {.idempotent = false}},
      {"confirm-before-replication",
       "the primary confirms a publish once it is on its own disk and mirrors asynchronously: a "
       "failover before the copy loses confirmed messages",
       true,
       {.replicate_before_confirm = false}},
  });
  return table;
}

struct QueueParams {
  int brokers = 2;
  int producers = 2;
  int consumers = 2;
  ProducerOptions producer;
  ConsumerOptions consumer;
  BrokerOptions broker;
  sim::Duration liveness_bound = sim::seconds(2);
};

QueueParams read_params(Fields& p) {
  QueueParams out;
  out.brokers = static_cast<int>(p.integer("brokers", 2, 1, 2));
  out.producers = static_cast<int>(p.integer("producers", 2, 1, 20));
  out.consumers = static_cast<int>(p.integer("consumers", 2, 1, 20));
  out.producer.messages = static_cast<int>(p.integer("messages", 10, 1, 1000));
  ClientTimeouts t;
  t.call_timeout = p.duration("call_timeout", t.call_timeout, sim::microseconds(1));
  t.retry_backoff = p.duration("retry_backoff", t.retry_backoff);
  t.give_up_after = p.duration("give_up_after", t.give_up_after, sim::microseconds(1));
  out.producer.timeouts = t;
  out.consumer.timeouts = t;
  out.producer.think = p.duration("think", out.producer.think);
  out.consumer.poll = p.duration("poll", out.consumer.poll, sim::microseconds(1));
  out.consumer.apply_attempts = static_cast<int>(p.integer("apply_attempts", 3, 1, 100));
  out.broker.ack_timeout = p.duration("ack_timeout", out.broker.ack_timeout, sim::microseconds(1));
  out.broker.heartbeat = p.duration("heartbeat", out.broker.heartbeat, sim::microseconds(1));
  out.broker.failover_timeout =
      p.duration("failover_timeout", out.broker.failover_timeout, sim::microseconds(1));
  out.liveness_bound = p.duration("liveness_bound", out.liveness_bound, sim::milliseconds(1));
  return out;
}

class QueueHarness : public Harness {
 public:
  QueueHarness(QueueParams params, VariantFlags flags, std::vector<std::string> checkers)
      : params_(std::move(params)), flags_(flags), checkers_(std::move(checkers)) {
    params_.broker.replicate_before_confirm = flags_.replicate_before_confirm;
    params_.consumer.auto_ack = flags_.auto_ack;
    params_.consumer.idempotent = flags_.idempotent;
    params_.broker.ghost = &ghost_;
  }

  void build(sim::World& world) override {
    add_history_sometimes(world, history_,
                          {"dequeue", "an enqueue is acknowledged", "a dequeue returns a message"});
    for (int i = 1; i <= params_.brokers; ++i) {
      params_.broker.brokers.push_back("b" + std::to_string(i));
    }
    for (const std::string& name : params_.broker.brokers) {
      brokers_.push_back(
          world.add_node(name, [this] { return std::make_unique<Broker>(params_.broker); }));
    }
    const sim::NodeId sink =
        world.add_node("sink", [this] { return std::make_unique<Sink>(ghost_); });
    for (int i = 1; i <= params_.producers; ++i) {
      world.add_node("p" + std::to_string(i), [this] {
        return std::make_unique<sim::FiberNode>([this](sim::Process& co) {
          run_producer(co, params_.producer, brokers_, ghost_, history_);
        });
      });
    }
    for (int i = 1; i <= params_.consumers; ++i) {
      world.add_node("c" + std::to_string(i), [this, sink] {
        return std::make_unique<sim::FiberNode>([this, sink](sim::Process& co) {
          run_consumer(co, params_.consumer, brokers_, sink, history_);
        });
      });
    }
  }

  std::vector<Finding> check(sim::World& world) override {
    auto on = [&](const char* name) {
      return std::find(checkers_.begin(), checkers_.end(), name) != checkers_.end();
    };
    std::vector<Finding> findings;
    if (on("confirmed-consumed")) {
      if (auto f = check_confirmed_consumed(world, ghost_, params_.liveness_bound)) {
        findings.push_back(std::move(*f));
      }
    }
    if (on("applied-once")) {
      if (auto f = check_applied_once(ghost_)) findings.push_back(std::move(*f));
    }
    if (on("producer-order")) {
      if (auto f = check_producer_order(ghost_)) findings.push_back(std::move(*f));
    }
    if (on("linearizable")) {
      // The gets and publishes as a FIFO queue history: enqueue(id) from the first publish to its
      // confirm, dequeue() -> id or null for each get. Promised with auto-ack only: the broker
      // removes the head as it answers, after the mirror holds the removal.
      if (auto f = check_linearizable(history_, "queue")) findings.push_back(std::move(*f));
    }
    return findings;
  }

  ClientHistory client_history() const override { return {&history_, "queue"}; }

  nlohmann::json figures() const override {
    int64_t confirmed = 0;
    std::map<std::string, int64_t> applied;
    for (const Application& a : ghost_.applications()) ++applied[a.id];
    int64_t lost = 0;
    for (const PublishedRecord& p : ghost_.published()) {
      if (!p.confirmed_at_ns) continue;
      ++confirmed;
      lost += applied.count(p.id) == 0;
    }
    int64_t twice = 0;
    for (const auto& entry : applied) twice += entry.second > 1;
    return {{"published", ghost_.published().size()},  {"confirmed", confirmed},
            {"applied", ghost_.applications().size()}, {"applied_twice", twice},
            {"confirmed_never_applied", lost},         {"failovers", ghost_.failovers()}};
  }

  std::string explain(const Finding& finding) const override {
    if (finding.checker == "confirmed-consumed" && flags_.auto_ack) {
      return "With auto-ack the broker counts a message as delivered the moment it sends it: a "
             "consumer that crashes before applying it takes the message with it. Acknowledge "
             "after the effect (manual acks), and the broker delivers it again (variant "
             "correct).";
    }
    if (finding.checker == "confirmed-consumed" && !flags_.replicate_before_confirm) {
      return "The primary confirmed publishes its mirror did not have yet; the mirror took over "
             "without them, and the old primary, rejoining as its mirror, took the new primary's "
             "contents. Confirm only once the mirror holds the message (variant correct).";
    }
    if (finding.checker == "producer-order" && !flags_.replicate_before_confirm) {
      return "A primary cut off from its mirror went on confirming alone while the mirror, taking "
             "over, confirmed and delivered the producer's later messages; the earlier one "
             "surfaced only when the old primary's queue came back into service. A primary that "
             "confirms only what its mirror holds confirms nothing once deposed (variant "
             "correct).";
    }
    if (finding.checker == "applied-once") {
      return "Acknowledging after the effect makes delivery at-least-once: a lost ack, a crash "
             "between the effect and the ack, or a retried Apply repeats the message. The "
             "consumer must be idempotent: record the message id with the effect and skip an id "
             "it has seen (variant correct).";
    }
    return {};
  }

 private:
  QueueParams params_;
  VariantFlags flags_;
  std::vector<std::string> checkers_;
  std::vector<sim::NodeId> brokers_;
  QueueGhost ghost_;
  HistoryRecorder history_;
};

}  // namespace

ProtocolInfo queue_info() {
  ProtocolInfo info;
  info.name = "queue";
  info.description =
      "a message queue (RabbitMQ-style): brokers b1 (primary) and b2 (mirror, takes over when "
      "b1 falls silent), producers publishing with publisher confirms, consumers doing basic_get "
      "and applying each message to a sink";
  info.variants = queue_variants().infos();
  info.checkers = {
      {"confirmed-consumed",
       "no confirmed message lost: each is applied at the sink, all within liveness_bound of the "
       "last heal (a run that ends with a fault in force proves nothing)",
       true},
      {"applied-once", "no message's effect is applied twice at the sink"},
      {"producer-order",
       "each producer's confirmed messages are first applied in the order it published them"},
      {"linearizable",
       "auto-ack only: publishes (enqueue, until confirmed) and gets (dequeue) form a "
       "linearizable FIFO queue history (queue model)"},
  };
  info.default_checkers = {"confirmed-consumed", "applied-once", "producer-order"};
  info.make = [](ProtocolSetup& setup) -> std::unique_ptr<Harness> {
    const VariantFlags& flags = queue_variants().flags(setup.variant);
    QueueParams params = read_params(setup.params);
    if (!flags.auto_ack && std::find(setup.checkers.begin(), setup.checkers.end(),
                                     "linearizable") != setup.checkers.end()) {
      // Manual acks redeliver by design: a message dequeued twice, or after a later one, is
      // at-least-once delivery working, not a queue that broke its promise.
      throw ScenarioError(setup.params.file(), "checkers",
                          "\"linearizable\" only with variant auto-ack (manual acks redeliver)",
                          "\"linearizable\" with variant \"" + setup.variant + "\"");
    }
    return std::make_unique<QueueHarness>(std::move(params), flags, setup.checkers);
  };
  return info;
}

}  // namespace faultline::protocols::queue
