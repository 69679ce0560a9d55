#pragma once
// The client that starts the choreographed sagas: it publishes one "trip.requested" event per trip
// to the broker (retrying until the broker acknowledges it) and goes on; what happens next is the
// services' business. Its trip counter is durable, and the event id is the saga id, so a restarted
// client's republished request is absorbed by the broker.

#include <string>
#include <vector>

#include "protocols/saga/saga_ghost.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::saga {

struct TripClientOptions {
  std::string name;  // "c1": prefixes its saga ids
  int trips = 5;
  std::vector<std::string> customers;
  int customer_offset = 0;
  int64_t price = 100;
  std::vector<std::string> steps;  // the saga's plan, for the ghost
  sim::Duration call_timeout = sim::milliseconds(100);
  sim::Duration think = sim::milliseconds(10);
};

void run_trip_client(sim::Process& co, const TripClientOptions& options, SagaGhost& ghost);

}  // namespace faultline::protocols::saga
