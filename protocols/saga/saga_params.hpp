#pragma once
// The saga family's scenario parameters, read strictly (protocols/params.hpp): the workload (who
// books how many trips of which steps, for which customers, at what price), the services'
// capacities and balances, and the timeouts of the orchestrator, the broker and the clients.

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/params.hpp"
#include "sim/time.hpp"

namespace faultline::protocols::saga {

struct SagaParams {
  bool choreographed = false;
  int orchestrators = 2;  // orchestrators o1..oN, or choreography clients c1..cN
  int trips = 5;          // per orchestrator or client
  std::vector<std::string> customers;
  int64_t balance = 1000;
  int64_t price = 100;
  std::vector<int64_t> vouchers;  // per orchestrator
  std::vector<std::string> reservations;
  int64_t seats = 10, rooms = 10, cars = 10;
  sim::Duration call_timeout = sim::milliseconds(100);
  int step_attempts = 3;
  sim::Duration retry_interval = sim::milliseconds(50);
  sim::Duration think = sim::milliseconds(10);
  sim::Duration redelivery_timeout = sim::milliseconds(200);
  sim::Duration publish_retry = sim::milliseconds(100);
  sim::Duration liveness_bound = sim::seconds(10);
};

SagaParams read_saga_params(Fields& p, bool choreographed);

}  // namespace faultline::protocols::saga
