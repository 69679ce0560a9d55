#include "protocols/saga/saga_params.hpp"

#include <algorithm>

namespace faultline::protocols::saga {
namespace {

const std::vector<std::string> kReservations = {"flight", "hotel", "car"};

// The reservation steps of every trip, in order: a non-empty list of distinct names among
// flight, hotel and car.
std::vector<std::string> read_reservations(Fields& p) {
  if (!p.has("steps")) return kReservations;
  std::vector<std::string> steps = p.strings("steps");
  if (steps.empty()) {
    p.fail("steps", "at least one of \"flight\", \"hotel\", \"car\" (a saga needs a step)");
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string at = p.path_of("steps") + "[" + std::to_string(i) + "]";
    if (std::find(kReservations.begin(), kReservations.end(), steps[i]) == kReservations.end()) {
      p.fail_at(at, "one of \"flight\", \"hotel\", \"car\"", steps[i]);
    }
    if (std::find(steps.begin(), steps.begin() + i, steps[i]) != steps.begin() + i) {
      p.fail_at(at, "a step not already listed", steps[i]);
    }
  }
  return steps;
}

// One amount for every orchestrator, or a list with one per orchestrator.
std::vector<int64_t> read_vouchers(Fields& p, int orchestrators) {
  const nlohmann::json* value = p.raw("voucher");
  if (!value) return std::vector<int64_t>(orchestrators, 0);
  auto amount = [&](const nlohmann::json& v, const std::string& at) -> int64_t {
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1000000000000) {
      p.fail_at(at, "an integer from 0 to 1000000000000", v);
    }
    return v.get<int64_t>();
  };
  if (!value->is_array()) {
    return std::vector<int64_t>(orchestrators, amount(*value, p.path_of("voucher")));
  }
  if (value->size() != static_cast<size_t>(orchestrators)) {
    p.fail("voucher", "one amount per orchestrator (" + std::to_string(orchestrators) + ")");
  }
  std::vector<int64_t> out;
  for (size_t i = 0; i < value->size(); ++i) {
    out.push_back(amount((*value)[i], p.path_of("voucher") + "[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace

SagaParams read_saga_params(Fields& p, bool choreographed) {
  SagaParams out;
  out.choreographed = choreographed;
  out.orchestrators = static_cast<int>(p.integer("orchestrators", 2, 1, 100));
  out.trips = static_cast<int>(p.integer("trips", 5, 1, 1000000));
  int customers = static_cast<int>(p.integer("customers", 3, 1, 10000));
  for (int i = 1; i <= customers; ++i) out.customers.push_back("c" + std::to_string(i));
  out.balance = p.integer("balance", 1000, 0, 1000000000000);
  out.price = p.integer("price", 100, 1, 1000000000000);
  out.vouchers = read_vouchers(p, out.orchestrators);
  if (choreographed) {
    for (size_t i = 0; i < out.vouchers.size(); ++i) {
      if (out.vouchers[i] != 0) p.fail("voucher", "0: the choreographed saga has no credit step");
    }
  }
  out.reservations = read_reservations(p);
  out.seats = p.integer("seats", 10, 0, 1000000000);
  out.rooms = p.integer("rooms", 10, 0, 1000000000);
  out.cars = p.integer("cars", 10, 0, 1000000000);
  const sim::Duration hour = sim::seconds(3600);
  out.call_timeout = p.duration("call_timeout", out.call_timeout, sim::microseconds(1), hour);
  out.step_attempts = static_cast<int>(p.integer("step_attempts", 3, 1, 1000));
  out.retry_interval = p.duration("retry_interval", out.retry_interval, sim::microseconds(1), hour);
  out.think = p.duration("think", out.think, sim::Duration{}, hour);
  out.redelivery_timeout =
      p.duration("redelivery_timeout", out.redelivery_timeout, sim::microseconds(2), hour);
  out.publish_retry = p.duration("publish_retry", out.publish_retry, sim::microseconds(1), hour);
  out.liveness_bound = p.duration("liveness_bound", out.liveness_bound, sim::milliseconds(1));
  return out;
}

}  // namespace faultline::protocols::saga
