// A network record names what a network fault changed, and only that: a latency fault reads as
// one, not as a list of unchanged probabilities.
#include <doctest/doctest.h>

#include "sim/network_change.hpp"
#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

NetworkOptions uniform_1_10() {
  NetworkOptions net;
  net.latency = LatencyModel{LatencyModel::Shape::kUniform, milliseconds(1), milliseconds(10)};
  return net;
}

std::string change(const NetworkOptions& before, const NetworkOptions& after) {
  const LinkTable b(before), a(after);
  return describe_network_change(before, after, b, a, LinkTable::changed(b, a), {"n0", "n1", "n2"});
}

TEST_CASE("latency, loss, duplication and ordering changes are named with their before and after") {
  NetworkOptions before = uniform_1_10();
  NetworkOptions after = before;
  CHECK(change(before, after) == "unchanged");
  after.latency = LatencyModel{LatencyModel::Shape::kConstant, milliseconds(200)};
  CHECK(change(before, after) == "latency uniform 1ms..10ms → constant 200ms");
  after = before;
  after.loss = Probability::from_double(0.3);
  after.duplicate = Probability::from_double(0.005);
  CHECK(change(before, after) == "loss 0% → 30%, duplicate 0% → 0.5%");
  after = before;
  after.fifo_links = true;
  CHECK(change(before, after) == "links FIFO");
  after.latency = LatencyModel{LatencyModel::Shape::kExponential, milliseconds(1), milliseconds(50),
                               milliseconds(3)};
  CHECK(change(before, after) ==
        "latency uniform 1ms..10ms → exponential 1ms + mean 3ms, at most 50ms, links FIFO");
}

TEST_CASE("per-link changes name each link, at most three, then count the rest") {
  NetworkOptions before = uniform_1_10();
  NetworkOptions after = before;
  LinkOverride lossy;
  lossy.from = {0};
  lossy.to = {1};
  lossy.loss = Probability::from_double(1);
  after.links = {lossy};
  CHECK(change(before, after) == "n0→n1 loss 0% → 100%");
  lossy.from = {0, 1, 2};
  lossy.to = {0, 1, 2};
  after.links = {lossy};
  CHECK(change(before, after) ==
        "n0→n0 loss 0% → 100%, n0→n1 loss 0% → 100%, n0→n2 loss 0% → 100%, and 6 more links");
}

TEST_CASE("a world's network record says what changed and states the settings in force") {
  RecordingSink sink;
  World world(WorldOptions{uniform_1_10()}, seeded(1));
  world.set_trace(&sink);
  world.add_node("a", scripted(Script{nullptr, nullptr, nullptr}));
  NetworkOptions slow = uniform_1_10();
  slow.latency = LatencyModel{LatencyModel::Shape::kConstant, milliseconds(250)};
  world.set_network(slow);
  auto records = sink.of_kind(TraceKind::kNetwork);
  REQUIRE(records.size() == 1);
  CHECK(records[0].detail == "latency uniform 1ms..10ms → constant 250ms");
  CHECK(records[0].data["network"]["latency"]["min"] == 250'000'000);
  CHECK_FALSE(records[0].data.contains("changed"));
}

}  // namespace
