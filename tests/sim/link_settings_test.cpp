// Per-link network settings (sim/network.hpp LinkOverride): a slow link, a lossy link, one way or
// both, configured or changed by a fault, and undone by the nemesis's heal.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "sim/nemesis.hpp"
#include "sim/network.hpp"
#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// (sender, arrival time) of every message a node receives.
using Arrivals = std::vector<std::pair<NodeId, TrueTime>>;

NodeFactory recorder(Arrivals& got) {
  return scripted(Script{nullptr,
                         [&got](Context& ctx, const Message& m, int64_t&) {
                           got.emplace_back(m.from, ctx.world().now());
                         },
                         nullptr});
}

// Sends one Ping to each of `to` every `every`, from time 0.
NodeFactory ticker(std::vector<NodeId> to, Duration every, int count = 1) {
  return scripted(Script{[](Context& ctx, int64_t&) { ctx.set_timer(Duration{}, 0); }, nullptr,
                         [to, every, count](Context& ctx, TimerId, uint64_t, int64_t& n) {
                           for (NodeId t : to) {
                             for (int i = 0; i < count; ++i) ctx.send(t, Ping{n});
                           }
                           ++n;
                           ctx.set_timer(every, 0);
                         }});
}

LinkOverride slow(std::vector<NodeId> from, std::vector<NodeId> to, Duration latency,
                  bool both_ways = false) {
  LinkOverride o;
  o.from = std::move(from);
  o.to = std::move(to);
  o.both_ways = both_ways;
  LatencyModel l;
  l.shape = LatencyModel::Shape::kConstant;
  l.min = latency;
  l.max = latency;
  o.latency = l;
  return o;
}

}  // namespace

TEST_CASE("a slow link delays its messages by its latency; other links keep the world's") {
  NetworkOptions net = constant_latency(milliseconds(1));
  net.links = {slow({0}, {1}, milliseconds(200))};
  World world(WorldOptions{net}, seeded(1));
  Arrivals at_b, at_c;
  NodeId a = world.add_node("a", ticker({1, 2}, milliseconds(1000)));
  NodeId b = world.add_node("b", recorder(at_b));
  NodeId c = world.add_node("c", recorder(at_c));
  world.run_until(at_ms(500));
  REQUIRE(at_b.size() == 1);
  REQUIRE(at_c.size() == 1);
  CHECK(at_b[0].second == at_ms(200));  // no sooner than its latency, and nothing dropped
  CHECK(at_c[0].second == at_ms(1));
  CHECK(world.link(a, b).latency.min == milliseconds(200));
  CHECK(world.link(b, a).latency.min == milliseconds(1));  // one way only
  CHECK(world.link(a, c).latency.min == milliseconds(1));
  CHECK(world.stats().messages_dropped == 0);
  (void)c;
}

TEST_CASE("messages over a both-ways slow link take its latency in each direction") {
  for (bool both : {false, true}) {
    CAPTURE(both);
    NetworkOptions net = constant_latency(milliseconds(1));
    net.links = {slow({0}, {1}, milliseconds(50), both)};
    World world(WorldOptions{net}, seeded(1));
    // a pings b and b pings a once; each records what it gets; c, on the world's links, too.
    Arrivals at_a, at_b, at_c;
    world.add_node("a", scripted(Script{[](Context& ctx, int64_t&) { ctx.send(1, Ping{}); },
                                        [&at_a](Context& ctx, const Message& m, int64_t&) {
                                          at_a.emplace_back(m.from, ctx.world().now());
                                        },
                                        nullptr}));
    world.add_node("b", scripted(Script{[](Context& ctx, int64_t&) { ctx.send(0, Ping{}); },
                                        [&at_b](Context& ctx, const Message& m, int64_t&) {
                                          at_b.emplace_back(m.from, ctx.world().now());
                                        },
                                        nullptr}));
    world.add_node("c", recorder(at_c));
    world.add_node("x", ticker({0, 1, 2}, seconds(1)));
    world.run_until(at_ms(100));
    REQUIRE(at_a.size() == 2);
    REQUIRE(at_b.size() == 2);
    REQUIRE(at_c.size() == 1);
    // By sender: arrivals at the same instant are a tie, ordered by the tape.
    std::sort(at_a.begin(), at_a.end());
    std::sort(at_b.begin(), at_b.end());
    CHECK(at_b[0] == std::make_pair(NodeId{0}, at_ms(50)));
    CHECK(at_b[1] == std::make_pair(NodeId{3}, at_ms(1)));  // x -> b: the world's latency
    CHECK(at_a[0] == std::make_pair(NodeId{1}, both ? at_ms(50) : at_ms(1)));
    CHECK(at_a[1] == std::make_pair(NodeId{3}, at_ms(1)));
    CHECK(at_c[0].second == at_ms(1));
    CHECK(world.link(0, 1).latency.min == milliseconds(50));
    CHECK(world.link(1, 0).latency.min == (both ? milliseconds(50) : milliseconds(1)));
    CHECK(world.link(0, 2).latency.min == milliseconds(1));
  }
}

TEST_CASE("loss on one link drops only on that link (seed 7, 20000 sends each)") {
  auto run = [] {
    NetworkOptions net = constant_latency(milliseconds(1));
    LinkOverride lossy;
    lossy.from = {0};
    lossy.to = {1};
    lossy.loss = Probability::from_double(0.3);
    net.links = {lossy};
    RecordingSink sink;
    World world(WorldOptions{net}, seeded(7));
    world.set_trace(&sink);
    Arrivals at_b, at_c;
    world.add_node("a", ticker({1, 2}, seconds(1), 20000));
    world.add_node("b", recorder(at_b));
    world.add_node("c", recorder(at_c));
    world.run_until(at_ms(10));
    CHECK(at_c.size() == 20000);
    double lost = 1.0 - double(at_b.size()) / 20000;
    CHECK(lost == doctest::Approx(0.3).epsilon(0.1));
    for (const TraceEvent& e : sink.of_kind(TraceKind::kDrop)) {
      REQUIRE(e.detail == "loss");
      REQUIRE(e.node == 1);
    }
    return at_b.size();
  };
  size_t first = run();
  CHECK(run() == first);  // deterministic: the same seed loses the same messages
}

TEST_CASE("later link entries override earlier ones; settings not given keep what the link had") {
  NetworkOptions net = constant_latency(milliseconds(1));
  net.loss = Probability::from_double(0.1);
  LinkOverride all;
  all.from = {0, 1};
  all.to = {0, 1, 2};
  all.loss = Probability::from_double(0.5);
  LinkOverride one = slow({0}, {1}, milliseconds(9));
  LinkOverride dup;
  dup.from = {0};
  dup.to = {1};
  dup.loss = Probability::from_double(0.2);
  dup.duplicate = Probability::from_double(0.3);
  net.links = {all, one, dup};
  LinkTable table(net);
  CHECK(table.at(0, 1).latency.min == milliseconds(9));  // from `one`
  CHECK(table.at(0, 1).loss == Probability::from_double(0.2));
  CHECK(table.at(0, 1).duplicate == Probability::from_double(0.3));
  CHECK(table.at(1, 2).loss == Probability::from_double(0.5));
  CHECK(table.at(1, 2).latency.min == milliseconds(1));         // the world's latency
  CHECK(table.at(2, 1).loss == Probability::from_double(0.1));  // named by none: the world's
  CHECK(table.at(7, 1).loss == Probability::from_double(0.1));  // beyond every row
  CHECK(table.overridden().size() == 6);
  NetworkOptions plain = net;
  plain.links.clear();
  CHECK(LinkTable::changed(LinkTable(plain), table).size() == 6);
}

TEST_CASE("a network fault on one link applies at its time and its undo restores the link") {
  NetworkOptions net = constant_latency(milliseconds(1));
  RecordingSink sink;
  World world(WorldOptions{net}, seeded(1));
  world.set_trace(&sink);
  Arrivals at_b, at_c;
  NodeId a = world.add_node("a", ticker({1, 2}, milliseconds(10)));
  NodeId b = world.add_node("b", recorder(at_b));
  world.add_node("c", recorder(at_c));
  Fault fault;
  fault.kind = Fault::Kind::kNetwork;
  fault.at = at_ms(25);
  fault.network = net;
  fault.network.links = {slow({a}, {b}, milliseconds(7))};
  world.schedule_fault(fault);
  Fault undo;
  undo.kind = Fault::Kind::kNetwork;
  undo.at = at_ms(55);
  undo.network = net;
  world.schedule_fault(undo);
  world.run_until(at_ms(95));
  // Sent at 0, 10, 20 (fast), 30, 40, 50 (slow), 60, 70, 80, 90 (fast).
  REQUIRE(at_b.size() == 10);
  for (size_t i = 0; i < at_b.size(); ++i) {
    CAPTURE(i);
    bool slowed = i >= 3 && i <= 5;
    CHECK(at_b[i].second == at_ms(int64_t(i) * 10 + (slowed ? 7 : 1)));
  }
  for (size_t i = 0; i < at_c.size(); ++i) CHECK(at_c[i].second == at_ms(int64_t(i) * 10 + 1));
  // The trace says which links each fault changed.
  auto records = sink.of_kind(TraceKind::kNetwork);
  REQUIRE(records.size() == 2);
  CHECK(records[0].data["changed"] == nlohmann::json::parse(R"([{"from": "a", "to": "b"}])"));
  CHECK(records[0].data["network"]["links"][0]["latency"]["min"] == 7'000'000);
  CHECK(records[1].data["changed"] == records[0].data["changed"]);
  CHECK_FALSE(records[1].data["network"].contains("links"));
  // And, in words, what changed on them.
  CHECK(records[0].detail == "a→b latency constant 1ms → constant 7ms");
  CHECK(records[1].detail == "a→b latency constant 7ms → constant 1ms");
  CHECK(world.faults_in_force().empty());
  CHECK(world.healthy_since() == at_ms(55));
}

TEST_CASE("the trace's config record lists each link's settings") {
  NetworkOptions net = constant_latency(milliseconds(1));
  net.links = {slow({1}, {0}, milliseconds(40), true)};
  net.links.back().loss = Probability::from_double(0.25);
  RecordingSink sink;
  World world(WorldOptions{net}, seeded(1));
  world.set_trace(&sink);
  world.add_node("a", scripted(Script{}));
  world.add_node("b", scripted(Script{}));
  world.run_until(at_ms(1));
  REQUIRE(!sink.events.empty());
  const TraceEvent& config = sink.events.front();
  REQUIRE(config.kind == TraceKind::kConfig);
  const nlohmann::json& links = config.data["network"]["links"];
  REQUIRE(links.size() == 2);
  CHECK(links[0]["from"] == "a");
  CHECK(links[0]["to"] == "b");
  CHECK(links[1]["from"] == "b");
  CHECK(links[1]["to"] == "a");
  CHECK(links[1]["latency"]["shape"] == "constant");
  CHECK(links[1]["latency"]["min"] == 40'000'000);
  CHECK(links[1]["loss"] == 0.25);
  CHECK(links[1]["duplicate"] == 0.0);
}

TEST_CASE("a world without per-link settings writes its config record as before") {
  RecordingSink sink;
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(1));
  world.set_trace(&sink);
  world.add_node("a", scripted(Script{}));
  world.run_until(at_ms(1));
  REQUIRE(!sink.events.empty());
  CHECK_FALSE(sink.events.front().data["network"].contains("links"));
}

TEST_CASE("the nemesis's heal at stop restores the configured links (seeds 1-5)") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    NetworkOptions net = constant_latency(milliseconds(2));
    World world(WorldOptions{net}, seeded(seed));
    std::vector<NodeId> nodes;
    for (int i = 0; i < 4; ++i)
      nodes.push_back(world.add_node("n" + std::to_string(i), scripted(chatter(4))));
    NetworkOptions configured = net;
    configured.links = {slow({0}, {1, 2}, milliseconds(30), true)};
    world.configure_network(configured);
    // A timeline fault slows another link and is never undone by the timeline.
    Fault fault;
    fault.kind = Fault::Kind::kNetwork;
    fault.at = at_ms(200);
    fault.network = configured;
    fault.network.links.push_back(slow({3}, {2}, milliseconds(90)));
    world.schedule_fault(fault);
    NemesisOptions nemesis = every_fault_kind(nodes, 100, 1000, 40, 50, 300);
    // A loss burst's end restores the configured network, this fault's link included (as it
    // ends any network fault); the other kinds leave it to the heal at stop.
    nemesis.kinds.pop_back();
    REQUIRE(nemesis.kinds.back() == NemesisOptions::Kind::kClockDrift);
    Nemesis::start(world, nemesis);
    world.run_until(at_ms(300));
    CHECK(world.link(3, 2).latency.min == milliseconds(90));
    world.run_until(nemesis.stop);
    CHECK(world.faults_in_force().empty());
    CHECK(world.network() == configured);
    CHECK(world.link(3, 2).latency.min == milliseconds(2));
    CHECK(world.link(2, 0).latency.min == milliseconds(30));
  }
}

TEST_CASE("a world with per-link settings is deterministic: same seed, same trace") {
  auto run = [](uint64_t seed) {
    NetworkOptions net;  // uniform latency: every link draws
    net.loss = Probability::from_double(0.05);
    LinkOverride o;
    o.from = {0, 1};
    o.to = {2, 3};
    o.both_ways = true;
    LatencyModel l;
    l.shape = LatencyModel::Shape::kExponential;
    l.min = milliseconds(5);
    l.mean = milliseconds(10);
    l.max = milliseconds(80);
    o.latency = l;
    o.duplicate = Probability::from_double(0.1);
    net.links = {o};
    HashingSink sink;
    World world(WorldOptions{net}, seeded(seed));
    world.set_trace(&sink);
    for (int i = 0; i < 4; ++i) world.add_node("n" + std::to_string(i), scripted(chatter(4)));
    world.run_until(at_ms(2000));
    return std::make_pair(sink.hash, sink.events);
  };
  auto first = run(3);
  CHECK(first.second > 1000);
  CHECK(run(3) == first);
  CHECK(run(4) != first);
}
