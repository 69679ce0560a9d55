// World::last_fault_change(): the true time the fault state (which nodes are down or paused, and
// whether any fault is in force) last changed, the start of a liveness window that a node down
// for good does not keep closed.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "sim/nemesis.hpp"
#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

TEST_CASE(
    "last_fault_change is the time of the last crash, restart, pause, resume, partition, heal") {
  WorldOptions options;
  World world(options, seeded(1));
  NodeId a = world.add_node("a", scripted(Script{}));
  NodeId b = world.add_node("b", scripted(Script{}));
  world.run_until(at_ms(5));
  CHECK(world.last_fault_change() == TrueTime{});  // nothing yet: the start of the run

  world.run_until(at_ms(10));
  world.crash(a);
  CHECK(world.last_fault_change() == at_ms(10));
  world.run_until(at_ms(20));
  world.restart(a);
  CHECK(world.last_fault_change() == at_ms(20));
  world.run_until(at_ms(30));
  world.pause(b);
  CHECK(world.last_fault_change() == at_ms(30));
  world.run_until(at_ms(40));
  world.resume(b);
  CHECK(world.last_fault_change() == at_ms(40));
  world.run_until(at_ms(50));
  PartitionId first = world.partition({PartitionSpec::Mode::kIsolate, {{a}}}, 0, true);
  CHECK(world.last_fault_change() == at_ms(50));
  world.run_until(at_ms(60));
  world.heal(first);
  CHECK(world.last_fault_change() == at_ms(60));
  CHECK(world.healthy_since() == at_ms(60));
}

TEST_CASE(
    "last_fault_change ignores a fault that changes neither a node nor whether one is in force") {
  WorldOptions options;
  World world(options, seeded(1));
  NodeId a = world.add_node("a", scripted(Script{}));
  NodeId b = world.add_node("b", scripted(Script{}));
  world.run_until(at_ms(10));
  world.crash(a);
  world.run_until(at_ms(20));
  world.crash(a);    // down already
  world.resume(b);   // not paused
  world.restart(b);  // up already
  CHECK(world.last_fault_change() == at_ms(10));

  world.restart(a);  // at 20
  world.run_until(at_ms(30));
  PartitionId first = world.partition({PartitionSpec::Mode::kIsolate, {{a}}}, 0, true);
  world.run_until(at_ms(40));
  // While one partition is in force, a second one, and the end of either, change no node and
  // leave a fault in force.
  PartitionId second = world.partition({PartitionSpec::Mode::kIsolate, {{b}}}, 0, true);
  world.run_until(at_ms(50));
  world.heal(first);
  world.heal(first);  // ended already
  CHECK(world.last_fault_change() == at_ms(30));
  world.run_until(at_ms(60));
  world.heal(second);  // the last one: healthy from here
  CHECK(world.last_fault_change() == at_ms(60));

  // A clock jump or drift stops no node: the window of calm restarts (healthy_since), the fault
  // state stays as it was.
  world.run_until(at_ms(70));
  world.jump_clock(a, seconds(1));
  world.set_drift(b, Drift{100});
  CHECK(world.healthy_since() == at_ms(70));
  CHECK(world.last_fault_change() == at_ms(60));
  // A lossy network is a fault in force, and its end a change too.
  world.run_until(at_ms(80));
  NetworkOptions lossy = options.network;
  lossy.loss = Probability::from_double(0.5);
  world.set_network(lossy);
  CHECK(world.last_fault_change() == at_ms(80));
  world.run_until(at_ms(90));
  world.set_network(lossy);  // lossy already
  CHECK(world.last_fault_change() == at_ms(80));
  world.set_network(options.network);
  CHECK(world.last_fault_change() == at_ms(90));
}

TEST_CASE(
    "last_fault_change sees every crash and restart: nemesis, timeline, crash_after_handler") {
  // An observer outside the kernel, checked after every event, compares each node's up and paused
  // state and whether the world is healthy with what it saw last: the kernel's answer must be the
  // time of the last event after which that differed, whatever caused it.
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    WorldOptions options;
    options.network = constant_latency(milliseconds(2));
    World world(options, seeded(seed));
    int handler_crashes = 0;
    Script script = chatter(4);
    auto tick = script.timer;
    script.timer = [tick, &handler_crashes](Context& ctx, TimerId id, uint64_t tag, int64_t& n) {
      if (ctx.random(40) == 0) {
        ++handler_crashes;
        ctx.crash_after_handler(ctx.random_duration(milliseconds(5), milliseconds(200)));
        return;
      }
      tick(ctx, id, tag, n);
    };
    std::vector<NodeId> nodes;
    for (int i = 0; i < 4; ++i)
      nodes.push_back(world.add_node("n" + std::to_string(i), scripted(script)));
    Nemesis::start(world, every_fault_kind(nodes, 100, 2000, 60, 10, 300));
    world.schedule_fault(Fault{.kind = Fault::Kind::kCrash, .at = at_ms(2500), .node = nodes[0]});
    world.schedule_fault(Fault{.kind = Fault::Kind::kRestart, .at = at_ms(2700), .node = nodes[0]});

    std::vector<bool> seen;
    TrueTime changed;
    int changes = 0;
    world.add_invariant("observer", [&]() -> std::optional<std::string> {
      std::vector<bool> state{world.healthy_since().has_value()};
      for (NodeId id = 0; id < world.node_count(); ++id) {
        state.push_back(world.is_up(id));
        state.push_back(world.is_paused(id));
      }
      if (state != seen) {
        seen = std::move(state);
        changed = world.now();
        ++changes;
      }
      return std::nullopt;
    });
    for (int64_t ms = 50; ms <= 4000; ms += 50) {
      world.run_until(at_ms(ms));
      CHECK(world.last_fault_change().ns() == changed.ns());
    }
    CHECK(changes > 10);
    CHECK(handler_crashes > 0);
  }
}
