// Measures the herd effect of the ZooKeeper lock recipe (see herd.hpp): a fault-free world built
// from the zk-lock protocol's own harness.
#include "protocols/locks/herd.hpp"

#include "protocols/locks/zk_lock.hpp"
#include "sim/choices.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::locks {

HerdFigures measure_herd(const std::string& variant, int waiters) {
  // Every client queues at once; a holder works long enough that all are waiting before the
  // first release, so that each release meets the full queue behind it.
  nlohmann::json params = {{"clients", waiters},
                           {"compute", "200ms"},
                           {"session_timeout", "300s"},
                           {"ping_interval", "100s"}};
  Fields fields(params, "herd", "params");
  ProtocolSetup setup{variant, fields, {}, sim::seconds(600)};
  ProtocolInfo info = zk_lock_info();
  std::unique_ptr<Harness> harness = info.make(setup);
  fields.finish();
  sim::World world(sim::WorldOptions{}, std::make_unique<sim::RandomChoices>(1));
  harness->build(world);
  world.run_until(sim::TrueTime{} + sim::seconds(600));
  nlohmann::json figures = harness->figures();
  HerdFigures out;
  out.waiters = waiters;
  out.releases = figures["lock_node_deletes"].get<int64_t>();
  double releases = out.releases > 0 ? static_cast<double>(out.releases) : 1.0;
  double notifications = figures["watch_notifications"].get<double>();
  out.notifications_per_release = notifications / releases;
  // Each notification costs the event, a getChildren request and its reply (in "herd"); in the
  // recipe, the woken waiter's getChildren too. Counted from the server's side.
  out.messages_per_release =
      (notifications + 2.0 * figures["children_requests"].get<double>()) / releases;
  out.world_events = static_cast<int64_t>(world.stats().events);
  return out;
}

}  // namespace faultline::protocols::locks
