#pragma once
// The queue family's fiber clients. A producer publishes its messages one at a time, each retried
// over the brokers until confirmed (or given up on after `give_up_after`), so a producer's
// confirmed messages are queued in its own order. A consumer polls with basic_get, applies each
// message to the sink, and (manual acks) acknowledges it only after the sink has applied it.
// Both record their operations: `enqueue` (ok at the confirm) and `dequeue` (ok with the id, or
// null when the queue was empty), which is the queue history the linearizability checker judges.

#include <string>
#include <vector>

#include "protocols/client_operation.hpp"
#include "protocols/queue/ghost.hpp"
#include "sim/fiber.hpp"
#include "sim/retry.hpp"

namespace faultline::protocols::queue {

struct ClientTimeouts {
  sim::Duration call_timeout = sim::milliseconds(50);
  sim::Duration retry_backoff = sim::milliseconds(10);
  sim::Duration give_up_after = sim::seconds(2);
};

struct ProducerOptions {
  int messages = 5;
  ClientTimeouts timeouts;
  sim::Duration think = sim::milliseconds(5);
};

struct ConsumerOptions {
  bool auto_ack = false;
  bool idempotent = true;  // the sink applies a message id once
  ClientTimeouts timeouts;
  sim::Duration poll = sim::milliseconds(10);  // between gets that found nothing to take
  int apply_attempts = 3;  // Apply (then Ack) calls per delivery before giving up on it
};

void run_producer(sim::Process& co, const ProducerOptions& options,
                  const std::vector<sim::NodeId>& brokers, QueueGhost& ghost,
                  OperationSink& history);

void run_consumer(sim::Process& co, const ConsumerOptions& options,
                  const std::vector<sim::NodeId>& brokers, sim::NodeId sink,
                  OperationSink& history);

}  // namespace faultline::protocols::queue
