#pragma once
// The saga orchestrator (Garcia-Molina & Salem §5, "saga execution component"; Richardson,
// "Microservices Patterns" §4.2.2): a fiber that books trips one after the other, each trip a
// saga of compensatable steps (an optional travel credit, then flight, hotel, car), the pivot
// (charge the card), and retriable steps after it (confirm each reservation and the credit).
//
// Backward recovery: a step refused, or unanswered after `step_attempts` calls, makes the
// orchestrator compensate every step that may have been applied, last first. Forward recovery:
// once the pivot is applied the saga can only finish, so the confirmations are retried until
// they succeed. The pivot itself is retried until it answers: its outcome decides the direction.
//
// The saga log is durable: each saga's record is written and synced before every step it acts
// on, so a restarted orchestrator resumes every unfinished saga where the log says, re-sending
// the step it may have sent (the services are idempotent by request id).

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/saga/saga_ghost.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::saga {

struct OrchestratorOptions {
  std::string name;                    // "o1": prefixes its saga ids
  int trips = 5;                       // sagas it runs, one after the other
  std::vector<std::string> customers;  // trip t books for customers[(offset + t - 1) % size]
  int customer_offset = 0;
  int64_t price = 100;  // what each trip charges
  int64_t voucher = 0;  // a travel credit applied first, when above 0
  std::vector<std::string> reservations = {"flight", "hotel", "car"};
  sim::Duration call_timeout = sim::milliseconds(100);
  int step_attempts = 3;  // calls of a compensatable step before giving up on it
  sim::Duration retry_interval = sim::milliseconds(50);
  sim::Duration think = sim::milliseconds(10);
  // The bug "unlogged-orchestrator": the saga log and the trip counter live in memory only, so a
  // restart forgets the sagas under way (and books the trips again under new saga ids).
  bool durable_log = true;
};

// The steps of a saga in order, for the ghost's plan: credit?, reservations, charge, then a
// "confirm-<step>" for each reservation and the credit.
std::vector<std::string> saga_steps(const OrchestratorOptions& options, int64_t voucher);

// The body of the orchestrator's fiber; returns once every trip's saga has ended.
void run_orchestrator(sim::Process& co, const OrchestratorOptions& options, SagaGhost& ghost);

}  // namespace faultline::protocols::saga
