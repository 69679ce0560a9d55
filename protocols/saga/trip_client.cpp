// The client of the choreographed saga (Richardson, "Microservices Patterns" §4.2.1): it only
// requests each trip; the services' events carry the saga from there.
#include "protocols/saga/trip_client.hpp"

#include "protocols/client_operation.hpp"
#include "protocols/saga/messages.hpp"
#include "sim/retry.hpp"

namespace faultline::protocols::saga {

void run_trip_client(sim::Process& co, const TripClientOptions& options, SagaGhost& ghost) {
  sim::Storage& disk = co.ctx().storage();
  int64_t next = disk.get<TripProgress>("trips") ? disk.get<TripProgress>("trips")->next : 1;
  sim::RetryTargets broker({co.ctx().node_named("broker")}, 0);
  const auto acked = [](const std::optional<sim::Message>& reply) {
    return reply && reply->payload.as<PublishAck>() ? sim::RetryStep::done()
                                                    : sim::RetryStep::next();
  };
  ClientOperations ops(co);
  for (; next <= options.trips; ++next) {
    const std::string saga = options.name + "-t" + std::to_string(next);
    const std::string& customer =
        options.customers[(options.customer_offset + next - 1) % options.customers.size()];
    ghost.begin(co.ctx().name(), {saga, options.steps});
    ops.invoke("request", saga);
    SagaEvent event{saga + "/trip.requested", "trip.requested", saga, customer, options.price};
    broker.call(co, Publish{event}, sim::RetryPolicy::until_answered(options.call_timeout), acked);
    ops.ok("request", saga);
    disk.put("trips", TripProgress{next + 1});
    disk.sync();
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::saga
