// The client of the choreographed saga (Richardson, "Microservices Patterns" §4.2.1): it only
// requests each trip; the services' events carry the saga from there.
#include "protocols/saga/trip_client.hpp"

#include "protocols/client_operation.hpp"
#include "protocols/saga/messages.hpp"

namespace faultline::protocols::saga {

void run_trip_client(sim::Process& co, const TripClientOptions& options, SagaGhost& ghost) {
  sim::Storage& disk = co.ctx().storage();
  int64_t next = disk.get<TripProgress>("trips") ? disk.get<TripProgress>("trips")->next : 1;
  sim::NodeId broker = co.ctx().node_named("broker");
  ClientOperations ops(co);
  for (; next <= options.trips; ++next) {
    const std::string saga = options.name + "-t" + std::to_string(next);
    const std::string& customer =
        options.customers[(options.customer_offset + next - 1) % options.customers.size()];
    ghost.begin(co.ctx().name(), {saga, options.steps});
    ops.invoke("request", saga);
    SagaEvent event{saga + "/trip.requested", "trip.requested", saga, customer, options.price};
    while (true) {
      auto reply = co.call(broker, Publish{event}, options.call_timeout);
      if (reply && reply->payload.as<PublishAck>()) break;
    }
    ops.ok("request", saga);
    disk.put("trips", TripProgress{next + 1});
    disk.sync();
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::saga
