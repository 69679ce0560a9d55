#include "sim/network.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

using Links = std::set<std::pair<NodeId, NodeId>>;

Links blocked_links(const LinkRules& rules) {
  Links out;
  for (NodeId a = 0; a < rules.size(); ++a) {
    for (NodeId b = 0; b < rules.size(); ++b) {
      if (rules.blocked(a, b)) out.emplace(a, b);
    }
  }
  return out;
}

// Both directions between every node of `a` and every node of `b`.
Links between(const std::vector<NodeId>& a, const std::vector<NodeId>& b) {
  Links out;
  for (NodeId x : a) {
    for (NodeId y : b) {
      out.emplace(x, y);
      out.emplace(y, x);
    }
  }
  return out;
}

Links apply(const PartitionSpec& spec, size_t nodes, uint64_t seed = 1) {
  LinkRules rules(nodes);
  RandomChoices choices(seed);
  choices.add_stream("faults");
  std::vector<std::string> names;
  for (size_t i = 0; i < nodes; ++i) names.push_back("n" + std::to_string(i));
  rules.add(1, cut_links(spec, nodes, choices, 0, names).links);
  return blocked_links(rules);
}

// A node that records what it receives: (sender, n) in delivery order.
NodeFactory receiver(std::vector<std::pair<NodeId, int64_t>>& got) {
  return scripted(Script{nullptr,
                         [&got](Context&, const Message& m, int64_t&) {
                           got.emplace_back(m.from, m.payload.as<Ping>()->n);
                         },
                         nullptr});
}

// A node that sends Ping{i} to `to` for i in [0, count) when a timer with tag 0 fires at `at`.
NodeFactory sender(NodeId to, int count, Duration at = Duration{}) {
  return scripted(Script{[at](Context& ctx, int64_t&) { ctx.set_timer(at, 0); }, nullptr,
                         [to, count](Context& ctx, TimerId, uint64_t, int64_t&) {
                           for (int i = 0; i < count; ++i) ctx.send(to, Ping{i});
                         }});
}

}  // namespace

TEST_CASE("a split partition blocks exactly the links between groups, both ways") {
  PartitionSpec spec{PartitionSpec::Mode::kSplit, {{0, 1}, {2, 3}}};
  // Node 4 is in no group and reaches everyone.
  CHECK(apply(spec, 5) == between({0, 1}, {2, 3}));
}

TEST_CASE("a one-way partition blocks one direction only") {
  PartitionSpec spec{PartitionSpec::Mode::kOneWay, {{0}, {1, 2}}};
  CHECK(apply(spec, 4) == Links{{0, 1}, {0, 2}});
}

TEST_CASE("an isolated node is cut off from every other node and the rest stay connected") {
  PartitionSpec spec{PartitionSpec::Mode::kIsolate, {{2}}};
  CHECK(apply(spec, 5) == between({2}, {0, 1, 3, 4}));
}

TEST_CASE("a bridge node reaches both sides of a split that cannot reach each other") {
  PartitionSpec spec{PartitionSpec::Mode::kBridge, {{0, 1}, {3, 4}, {2}}};
  CHECK(apply(spec, 5) == between({0, 1}, {3, 4}));
}

TEST_CASE("a majority-minority split cuts a drawn minority of floor((n-1)/2) from the majority") {
  std::set<std::vector<NodeId>> minorities;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    PartitionSpec spec{PartitionSpec::Mode::kMajorityMinority, {{0, 1, 2, 3, 4}}};
    Links links = apply(spec, 6, seed);  // node 5 is not part of the split
    // Recover the minority: the nodes of the group blocked from fewer than 3 others.
    std::vector<NodeId> minority, majority;
    for (NodeId n = 0; n < 5; ++n) {
      size_t blocked_to = 0;
      for (NodeId m = 0; m < 5; ++m) blocked_to += links.count({n, m});
      (blocked_to == 3 ? minority : majority).push_back(n);
    }
    REQUIRE(minority.size() == 2);
    CHECK(links == between(minority, majority));
    minorities.insert(minority);
  }
  // The minority is a choice, not always the same nodes.
  CHECK(minorities.size() >= 4);
}

TEST_CASE("link rules are ended one by one, a link staying cut while any rule cuts it") {
  LinkRules rules(3);
  rules.add(1, {{0, 1}, {0, 2}});
  rules.add(2, {{0, 1}, {1, 2}});
  CHECK(blocked_links(rules) == Links{{0, 1}, {0, 2}, {1, 2}});
  CHECK(rules.ids() == std::vector<PartitionId>{1, 2});
  CHECK(rules.remove(1));
  CHECK_FALSE(rules.remove(1));
  CHECK(blocked_links(rules) == Links{{0, 1}, {1, 2}});
  CHECK(rules.any_blocked());
  rules.heal();
  CHECK(blocked_links(rules).empty());
  CHECK_FALSE(rules.any_blocked());
  CHECK_FALSE(rules.any_in_force());
}

TEST_CASE("partition descriptions name the sides") {
  RandomChoices choices(1);
  choices.add_stream("faults");
  std::vector<std::string> names{"a", "b", "c"};
  CHECK(cut_links({PartitionSpec::Mode::kIsolate, {{0}}}, 3, choices, 0, names).description ==
        "isolate {a}");
  CHECK(
      cut_links({PartitionSpec::Mode::kOneWay, {{1}, {0, 2}}}, 3, choices, 0, names).description ==
      "one-way {b} -/-> {a,c}");
}

TEST_CASE("a partition drops messages already in flight") {
  RecordingSink sink;
  std::vector<std::pair<NodeId, int64_t>> got;
  World world(WorldOptions{constant_latency(milliseconds(10))}, seeded(1));
  world.set_trace(&sink);
  NodeId b = world.add_node("b", receiver(got));
  NodeId a = world.add_node("a", sender(b, 1));
  Fault part;
  part.kind = Fault::Kind::kPartition;
  part.at = at_ms(5);  // the Ping was sent at 0 and arrives at 10
  part.partition = {PartitionSpec::Mode::kIsolate, {{b}}};
  world.schedule_fault(part);
  world.run_until(at_ms(50));

  CHECK(got.empty());
  auto drops = sink.of_kind(TraceKind::kDrop);
  REQUIRE(drops.size() == 1);
  CHECK(drops[0].detail == "partition");
  CHECK(drops[0].at == at_ms(10));
  CHECK(drops[0].node == b);
  CHECK(drops[0].peer == a);
  CHECK(drops[0].message_id == sink.of_kind(TraceKind::kSend).at(0).message_id);
  CHECK(world.stats().messages_dropped == 1);
}

TEST_CASE("a message sent during a partition that arrives after the heal is delivered") {
  std::vector<std::pair<NodeId, int64_t>> got;
  World world(WorldOptions{constant_latency(milliseconds(10))}, seeded(1));
  NodeId b = world.add_node("b", receiver(got));
  world.add_node("a", sender(b, 1, milliseconds(5)));  // sends at 5, arrives at 15
  world.partition({PartitionSpec::Mode::kIsolate, {{b}}});
  Fault heal;
  heal.kind = Fault::Kind::kHeal;
  heal.at = at_ms(12);
  world.schedule_fault(heal);
  world.run_until(at_ms(50));
  CHECK(got.size() == 1);
}

TEST_CASE("partitions block exactly the right links in a running world, and heal restores them") {
  // Every node sends to every other node once per round; a round under each partition shows which
  // links carried messages.
  const size_t n = 5;
  std::map<std::pair<NodeId, NodeId>, int> delivered;
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(3));
  for (size_t i = 0; i < n; ++i) {
    world.add_node("n" + std::to_string(i),
                   scripted(Script{
                       [](Context& ctx, int64_t&) { ctx.set_timer(milliseconds(10)); },
                       [&delivered](Context& ctx, const Message& m, int64_t&) {
                         ++delivered[{m.from, ctx.self()}];
                       },
                       [n](Context& ctx, TimerId, uint64_t, int64_t&) {
                         for (NodeId to = 0; to < n; ++to) {
                           if (to != ctx.self()) ctx.send(to, Ping{});
                         }
                         ctx.set_timer(milliseconds(10));
                       },
                   }));
  }
  auto round_under = [&](const PartitionSpec* spec) {
    if (spec) {
      world.partition(*spec);
    } else {
      world.heal();
    }
    delivered.clear();
    world.run_until(world.now() + milliseconds(10));
    Links silent;
    for (NodeId a = 0; a < n; ++a) {
      for (NodeId b = 0; b < n; ++b) {
        if (a != b && delivered[{a, b}] == 0) silent.emplace(a, b);
      }
    }
    return silent;
  };
  world.run_until(at_ms(5));
  CHECK(round_under(nullptr).empty());
  PartitionSpec one_way{PartitionSpec::Mode::kOneWay, {{0}, {1, 2}}};
  CHECK(round_under(&one_way) == Links{{0, 1}, {0, 2}});
  PartitionSpec isolate{PartitionSpec::Mode::kIsolate, {{3}}};
  CHECK(round_under(&isolate) == between({3}, {0, 1, 2, 4}));
  PartitionSpec bridge{PartitionSpec::Mode::kBridge, {{0, 1}, {3, 4}, {2}}};
  CHECK(round_under(&bridge) == between({0, 1}, {3, 4}));
  PartitionSpec split{PartitionSpec::Mode::kSplit, {{0, 4}, {1, 2, 3}}};
  CHECK(round_under(&split) == between({0, 4}, {1, 2, 3}));
  CHECK_FALSE(world.healthy_since().has_value());
  CHECK(round_under(nullptr).empty());
  CHECK(world.healthy_since().has_value());
}

TEST_CASE("a message to a crashed node is dropped as down") {
  RecordingSink sink;
  std::vector<std::pair<NodeId, int64_t>> got;
  World world(WorldOptions{constant_latency(milliseconds(10))}, seeded(1));
  world.set_trace(&sink);
  NodeId b = world.add_node("b", receiver(got));
  world.add_node("a", sender(b, 1));
  world.run_until(at_ms(1));
  world.crash(b);
  world.run_until(at_ms(20));
  auto drops = sink.of_kind(TraceKind::kDrop);
  REQUIRE(drops.size() == 1);
  CHECK(drops[0].detail == "down");
}

TEST_CASE("loss drops about the configured fraction of messages (seed 7, 20000 sends)") {
  NetworkOptions net = constant_latency(milliseconds(1));
  net.loss = Probability::from_double(0.2);
  RecordingSink sink;
  std::vector<std::pair<NodeId, int64_t>> got;
  World world(WorldOptions{net}, seeded(7));
  world.set_trace(&sink);
  NodeId b = world.add_node("b", receiver(got));
  world.add_node("a", sender(b, 20000));
  world.run_until(at_ms(10));
  double lost = 1.0 - double(got.size()) / 20000;
  CHECK(lost == doctest::Approx(0.2).epsilon(0.1));  // within 0.18..0.22; sd is 0.003
  CHECK(world.stats().messages_dropped == 20000 - got.size());
  for (const TraceEvent& e : sink.of_kind(TraceKind::kDrop)) REQUIRE(e.detail == "loss");
}

TEST_CASE("duplication delivers about the configured fraction twice, with the same message id") {
  NetworkOptions net;  // uniform latency: the copy has its own
  net.duplicate = Probability::from_double(0.1);
  RecordingSink sink;
  std::vector<std::pair<NodeId, int64_t>> got;
  World world(WorldOptions{net}, seeded(7));
  world.set_trace(&sink);
  NodeId b = world.add_node("b", receiver(got));
  world.add_node("a", sender(b, 20000));
  world.run_until(at_ms(100));
  double extra = double(got.size()) / 20000 - 1.0;
  CHECK(extra == doctest::Approx(0.1).epsilon(0.15));  // within 0.085..0.115; sd is 0.002
  std::map<uint64_t, std::vector<TrueTime>> arrivals;
  for (const TraceEvent& e : sink.of_kind(TraceKind::kDeliver))
    arrivals[e.message_id].push_back(e.at);
  CHECK(arrivals.size() == 20000);
  size_t twice = 0, different_latency = 0;
  for (auto& [id, times] : arrivals) {
    REQUIRE(times.size() <= 2);
    if (times.size() == 2) {
      ++twice;
      different_latency += times[0] != times[1];
    }
  }
  CHECK(twice == got.size() - 20000);
  CHECK(different_latency > twice * 9 / 10);
}

TEST_CASE("no loss and no duplication draw nothing from the tape") {
  RandomChoices* choices = nullptr;
  auto owned = std::make_unique<RandomChoices>(1);
  choices = owned.get();
  choices->start_recording();
  std::vector<std::pair<NodeId, int64_t>> got;
  World world(WorldOptions{constant_latency(milliseconds(1))}, std::move(owned));
  NodeId b = world.add_node("b", receiver(got));
  // Booting apart: two boots at the same instant would be a (recorded) tie.
  world.add_node("a", sender(b, 1), NodeClock{}, at_ms(1));
  world.run_until(at_ms(10));
  CHECK(got.size() == 1);
  CHECK(choices->tape().values.empty());
}

TEST_CASE("uniform latency lies within [min, max] and covers it evenly") {
  LatencyModel model;
  model.shape = LatencyModel::Shape::kUniform;
  model.min = nanoseconds(100);
  model.max = nanoseconds(109);
  RandomChoices choices(5);
  choices.add_stream("network");
  std::map<int64_t, int> histogram;
  const int n = 50000;
  for (int i = 0; i < n; ++i) {
    Duration d = model.sample(choices, 0);
    REQUIRE(d >= model.min);
    REQUIRE(d <= model.max);
    ++histogram[d.ns()];
  }
  CHECK(histogram.size() == 10);  // both ends included
  for (auto& [ns, count] : histogram) CHECK(count == doctest::Approx(n / 10).epsilon(0.1));

  // Tape value 0 is the shortest latency.
  ReplayChoices zeros(ChoiceTape{});
  CHECK(model.sample(zeros, 0) == model.min);
}

TEST_CASE("exponential latency is min plus a tail of the given mean, capped at max") {
  LatencyModel model;
  model.shape = LatencyModel::Shape::kExponential;
  model.min = milliseconds(1);
  model.mean = milliseconds(2);
  model.max = milliseconds(5);
  RandomChoices choices(5);
  choices.add_stream("network");
  const int n = 50000;
  int capped = 0;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    Duration d = model.sample(choices, 0);
    REQUIRE(d >= model.min);
    REQUIRE(d <= model.max);
    capped += d == model.max;
    sum += double(d.ns());
  }
  // P(tail >= 4ms) = e^-2 = 0.135; the mean of min(1 + X, 5) is 1 + 2(1 - e^-2) = 2.729ms.
  CHECK(capped / double(n) == doctest::Approx(0.1353).epsilon(0.05));
  CHECK(sum / n / 1e6 == doctest::Approx(2.729).epsilon(0.02));

  // Uncapped, the mean is min + mean.
  model.max = seconds(10);
  sum = 0;
  for (int i = 0; i < n; ++i) sum += double(model.sample(choices, 0).ns());
  CHECK(sum / n / 1e6 == doctest::Approx(3.0).epsilon(0.03));
}

TEST_CASE("constant latency is always min, and draws nothing") {
  LatencyModel model;
  model.shape = LatencyModel::Shape::kConstant;
  model.min = microseconds(250);
  RandomChoices choices(5);
  choices.add_stream("network");
  choices.start_recording();
  for (int i = 0; i < 100; ++i) CHECK(model.sample(choices, 0) == microseconds(250));
  CHECK(choices.tape().values.empty());
}

TEST_CASE("probabilities are exact fractions of 2^20; 0 never happens, 1 always") {
  RandomChoices choices(1);
  choices.add_stream("s");
  CHECK(Probability::from_double(0).never());
  CHECK(Probability::from_double(-3).never());
  CHECK(Probability::from_double(0.5).value() == 0.5);
  int always = 0, never = 0;
  for (int i = 0; i < 1000; ++i) {
    always += Probability::from_double(1.0).happens(choices, 0);
    never += Probability::from_double(0.0).happens(choices, 0);
  }
  CHECK(always == 1000);
  CHECK(never == 0);
  // Tape value 0 means "did not happen".
  ReplayChoices zeros(ChoiceTape{});
  CHECK_FALSE(Probability::from_double(0.999).happens(zeros, 0));
}

TEST_CASE("latency reorders messages on a link unless links are FIFO") {
  for (bool fifo : {false, true}) {
    CAPTURE(fifo);
    NetworkOptions net;
    // A narrow latency window forces many messages to arrive at the same nanosecond.
    net.latency.min = milliseconds(1);
    net.latency.max = milliseconds(1) + nanoseconds(3);
    net.fifo_links = fifo;
    std::vector<std::pair<NodeId, int64_t>> got;
    World world(WorldOptions{net}, seeded(11));
    NodeId b = world.add_node("b", receiver(got));
    world.add_node("a", sender(b, 200));
    world.run_until(at_ms(10));
    REQUIRE(got.size() == 200);
    bool in_order = std::is_sorted(got.begin(), got.end());
    CHECK(in_order == fifo);
  }
}
