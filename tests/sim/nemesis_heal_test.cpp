// What the nemesis leaves behind: each undo ends its own fault only, and at `stop` the world is
// back in its configured fault state (links, clocks, pauses, crashes, network).
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/nemesis.hpp"
#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// Long faults, often: many overlap, and many would be undone after `stop`.
NemesisOptions every_kind(const std::vector<NodeId>& targets) {
  return every_fault_kind(targets, 100, 3000, 40, 50, 2000);
}

}  // namespace

TEST_CASE("at stop the nemesis leaves the world in its configured fault state (seeds 1-20)") {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    WorldOptions options;
    options.network = constant_latency(milliseconds(2));
    options.network.loss = Probability::from_double(0.01);
    World world(options, seeded(seed));
    std::vector<NodeId> nodes;
    for (int i = 0; i < 5; ++i) {
      // Clocks of their own: the heal restores them, not the defaults.
      NodeClock clock(Drift{int64_t(i) * 1000 - 2000}, milliseconds(i * 700));
      nodes.push_back(world.add_node("n" + std::to_string(i), scripted(chatter(5)), clock));
    }
    NemesisOptions nemesis = every_kind(nodes);
    Nemesis::start(world, nemesis);
    world.run_until(nemesis.stop - nanoseconds(1));
    CHECK_FALSE(world.faults_in_force().empty());  // faults were in force just before
    world.run_until(nemesis.stop);
    INFO("in force: " << [&] {
      std::string all;
      for (const std::string& f : world.faults_in_force()) all += f + "; ";
      return all;
    }());
    CHECK(world.faults_in_force().empty());
    for (NodeId n : nodes) {
      CHECK(world.clock(n).wall_offset() == milliseconds(n * 700));
      CHECK(world.clock(n).drift() == Drift{int64_t(n) * 1000 - 2000});
    }
    world.run_until(at_ms(6000));  // and nothing after it brings a fault back
    CHECK(world.faults_in_force().empty());
  }
}

TEST_CASE("faults_in_force names every kind of fault") {
  WorldOptions options;
  World world(options, seeded(1));
  NodeId a = world.add_node("a", scripted(Script{}));
  NodeId b = world.add_node("b", scripted(Script{}));
  world.run_until(at_ms(1));
  CHECK(world.faults_in_force().empty());
  world.crash(a);
  world.pause(b);
  world.jump_clock(b, seconds(2));
  world.set_drift(b, Drift{5});
  world.partition({PartitionSpec::Mode::kIsolate, {{a}}}, 7, true);
  NetworkOptions lossy = options.network;
  lossy.loss = Probability::from_double(0.5);
  world.set_network(lossy);
  CHECK(world.faults_in_force() ==
        std::vector<std::string>{
            "a is down", "b is paused", "b's clock drifts 5ppm, configured 0ppm",
            "b's wall clock is 2s off its configured offset", "partition 7 is in force",
            "the network differs from its configuration"});
}

TEST_CASE("stacked partitions end one at a time: a heal names the partition it ends") {
  World world(WorldOptions{}, seeded(1));
  for (int i = 0; i < 3; ++i) world.add_node("n" + std::to_string(i), scripted(Script{}));
  PartitionId first = world.partition({PartitionSpec::Mode::kOneWay, {{0}, {1}}}, 0, true);
  PartitionId second = world.partition({PartitionSpec::Mode::kIsolate, {{2}}}, 0, true);
  CHECK(first != second);
  CHECK(world.link_blocked(0, 1));
  CHECK(world.link_blocked(2, 0));
  world.heal(first);
  CHECK_FALSE(world.link_blocked(0, 1));  // the first partition's link alone opens
  CHECK(world.link_blocked(2, 0));
  CHECK(world.link_blocked(1, 2));
  world.heal(first);  // ended already: nothing
  CHECK(world.link_blocked(2, 0));
  world.heal(second);
  CHECK(world.faults_in_force().empty());

  // A link both cut stays cut until both end.
  PartitionId x = world.partition({PartitionSpec::Mode::kIsolate, {{0}}}, 0, true);
  PartitionId y = world.partition({PartitionSpec::Mode::kOneWay, {{0}, {1}}}, 0, true);
  world.heal(x);
  CHECK(world.link_blocked(0, 1));
  CHECK_FALSE(world.link_blocked(1, 0));
  world.heal(y);
  CHECK_FALSE(world.link_blocked(0, 1));

  // A partition that does not stack (a timeline's) replaces every one in force.
  world.partition({PartitionSpec::Mode::kIsolate, {{0}}}, 0, true);
  world.partition({PartitionSpec::Mode::kIsolate, {{2}}});
  CHECK_FALSE(world.link_blocked(0, 1));
  CHECK(world.link_blocked(0, 2));
  world.heal();
  CHECK(world.faults_in_force().empty());
}

TEST_CASE("a nemesis partition's undo leaves a later partition in force (seeds 1-10)") {
  size_t replaced = 0;  // partitions replaced by a later one before their undo came
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    RecordingSink sink;
    World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(seed));
    std::vector<NodeId> nodes;
    for (int i = 0; i < 5; ++i) {
      nodes.push_back(world.add_node("n" + std::to_string(i), scripted(chatter(5))));
    }
    world.set_trace(&sink);
    NemesisOptions nemesis = every_kind(nodes);
    nemesis.kinds = {NemesisOptions::Kind::kPartition};
    Nemesis::start(world, nemesis);
    // After every event, the links cut are exactly those of the partitions the trace says are in
    // force: each heal ends the one partition it names.
    std::map<uint64_t, std::set<std::pair<NodeId, NodeId>>> in_force;
    size_t seen = 0;
    world.add_invariant(
        "links follow the partitions in force", [&]() -> std::optional<std::string> {
          for (; seen < sink.events.size(); ++seen) {
            const TraceEvent& e = sink.events[seen];
            if (e.kind == TraceKind::kPartition) {
              if (!e.data.value("stacks", false)) {
                replaced += !in_force.empty();
                in_force.clear();
              }
              PartitionSpec spec;
              spec.mode = e.data["mode"] == "split"     ? PartitionSpec::Mode::kSplit
                          : e.data["mode"] == "one-way" ? PartitionSpec::Mode::kOneWay
                          : e.data["mode"] == "isolate" ? PartitionSpec::Mode::kIsolate
                                                        : PartitionSpec::Mode::kBridge;
              for (const auto& group : e.data["groups"]) {
                spec.groups.emplace_back();
                for (const auto& name : group)
                  spec.groups.back().push_back(*world.find_node(name.get<std::string>()));
              }
              RandomChoices unused(1);
              unused.add_stream("unused");
              auto& links = in_force[e.data["id"].get<uint64_t>()];
              for (const Link& l : cut_links(spec, 5, unused, 0, world.node_names()).links)
                links.emplace(l.from, l.to);
            } else if (e.kind == TraceKind::kHeal) {
              if (!e.data.is_object()) {
                in_force.clear();
                continue;
              }
              REQUIRE(in_force.erase(e.data["id"].get<uint64_t>()) == 1);
            }
          }
          for (NodeId a : nodes) {
            for (NodeId b : nodes) {
              bool cut = false;
              for (const auto& [id, links] : in_force) cut = cut || links.count({a, b});
              if (cut != world.link_blocked(a, b))
                return "link " + std::to_string(a) + "->" + std::to_string(b);
            }
          }
          return std::nullopt;
        });
    world.run_until(at_ms(4000));
    CHECK(world.violations().empty());
    CHECK(in_force.empty());
  }
  // Each of these had an undo that would have healed the partition that replaced it.
  CHECK(replaced > 20);
}

TEST_CASE("a nemesis drift's undo restores the drift before it only when it still rules") {
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node("n", scripted(Script{}), NodeClock(Drift{30}, Duration{}));
  world.run_until(at_ms(1));
  // Driven through the world's own fault log: every drift in force at each moment of a
  // drift-only nemesis with long, overlapping faults, ends at the configured drift.
  NemesisOptions nemesis;
  nemesis.kinds = {NemesisOptions::Kind::kClockDrift};
  nemesis.targets = {n};
  nemesis.start = at_ms(10);
  nemesis.stop = at_ms(5000);
  nemesis.interval_mean = milliseconds(30);
  nemesis.fault_min = milliseconds(50);
  nemesis.fault_max = milliseconds(500);
  Nemesis::start(world, nemesis);
  world.run_until(at_ms(4999));
  std::set<int64_t> drifts;
  for (const Fault& f : world.fault_log()) drifts.insert(f.drift.ppm);
  CHECK(drifts.size() > 20);
  world.run_until(at_ms(5000));
  CHECK(world.clock(n).drift() == Drift{30});
}
