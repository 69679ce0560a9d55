#pragma once
// A client of the Redis-like counter, as a fiber: it INCRs the counter or GETs it, one operation
// at a time, sending each to the server it believes primary and following "not-primary" answers
// (sim::RetryTargets over the two servers), retrying on timeouts until give_up_after. An INCR
// carries its label and, with idempotency keys, a key unique to the operation that every retry
// reuses: the server applies it once. Without one, a retry after a lost reply is a new INCR.
// It records Jepsen operations for the counter model (add 1, read n) and, for the final-value
// checker, each increment's label and whether it was acknowledged.

#include <vector>

#include "protocols/counter/counter_ghost.hpp"
#include "protocols/history_recorder.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::counter {

struct CounterClientOptions {
  int operations = 20;
  int read_percent = 30;
  bool idempotency_keys = true;
  sim::Duration start_after;
  sim::Duration think = sim::milliseconds(20);
  sim::Duration call_timeout = sim::milliseconds(50);
  sim::Duration retry_backoff = sim::milliseconds(10);
  sim::Duration give_up_after = sim::seconds(1);
};

void run_counter_client(sim::Process& co, const CounterClientOptions& options,
                        const std::vector<sim::NodeId>& servers, HistoryRecorder& history,
                        CounterGhost& ghost);

}  // namespace faultline::protocols::counter
