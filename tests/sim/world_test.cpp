#include "sim/world.hpp"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/nemesis.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline;
using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// Every node gossips: on each timer it sends a Ping to a random peer and re-arms after a random
// delay; on a Ping it answers with a Pong half the time and writes (sometimes syncing) its storage.
// It exercises every kind of choice: ties, latency, loss, duplication, node draws, faults.
Script gossip(size_t nodes) {
  return Script{
      [](Context& ctx, int64_t&) {
        ctx.set_timer(ctx.random_duration(milliseconds(1), milliseconds(5)));
      },
      [](Context& ctx, const Message& m, int64_t& counter) {
        ++counter;
        if (m.payload.is<Ping>() && ctx.random(2) == 0) ctx.reply(m, Pong{counter});
        ctx.storage().put("seen", Ping{counter});
        if (ctx.random(4) == 0) ctx.storage().sync();
      },
      [nodes](Context& ctx, TimerId, uint64_t, int64_t& counter) {
        NodeId to = static_cast<NodeId>(ctx.random(nodes));
        if (to != ctx.self()) ctx.send(to, Ping{counter});
        ctx.set_timer(ctx.random_duration(milliseconds(1), milliseconds(5)));
      },
  };
}

struct Busy {
  std::unique_ptr<World> world;
  std::vector<NodeId> nodes;
};

Busy busy_world(std::unique_ptr<Choices> choices, size_t n = 5) {
  WorldOptions options;
  options.network.loss = Probability::from_double(0.05);
  options.network.duplicate = Probability::from_double(0.05);
  options.storage.torn_writes = true;
  Busy busy{std::make_unique<World>(options, std::move(choices)), {}};
  for (size_t i = 0; i < n; ++i) {
    busy.nodes.push_back(busy.world->add_node("n" + std::to_string(i), scripted(gossip(n))));
  }
  return busy;
}

NemesisOptions every_fault(const std::vector<NodeId>& targets) {
  return every_fault_kind(targets, 100, 3000, 50, 10, 300);
}

uint64_t trace_hash(std::unique_ptr<Choices> choices, bool with_nemesis = true) {
  HashingSink sink;
  Busy busy = busy_world(std::move(choices));
  busy.world->set_trace(&sink);
  if (with_nemesis) Nemesis::start(*busy.world, every_fault(busy.nodes));
  busy.world->run_until(at_ms(4000));
  REQUIRE(sink.events > 1000);
  return sink.hash;
}

// The order in which three senders' simultaneous messages reach a receiver.
std::vector<NodeId> arrival_order(std::unique_ptr<Choices> choices) {
  std::vector<NodeId> order;
  World world(WorldOptions{constant_latency(milliseconds(1))}, std::move(choices));
  NodeId r = world.add_node(
      "r", scripted(Script{
               nullptr, [&order](Context&, const Message& m, int64_t&) { order.push_back(m.from); },
               nullptr}));
  for (int i = 0; i < 4; ++i) {
    world.add_node("s" + std::to_string(i),
                   scripted(Script{[r](Context& ctx, int64_t&) { ctx.send(r, Ping{}); }}));
  }
  world.run_until(at_ms(10));
  return order;
}

}  // namespace

TEST_CASE("ties between simultaneous events are broken through the tape") {
  // With every choice 0 (an empty replay tape), the event scheduled first goes first.
  CHECK(arrival_order(std::make_unique<ReplayChoices>(ChoiceTape{})) ==
        std::vector<NodeId>{1, 2, 3, 4});
  std::set<std::vector<NodeId>> orders;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::vector<NodeId> order = arrival_order(seeded(seed));
    CHECK(order == arrival_order(seeded(seed)));  // same seed, same order
    orders.insert(order);
  }
  CHECK(orders.size() >= 10);  // of 24 possible orders
}

TEST_CASE("the same seed gives an identical trace and a different seed a different one") {
  uint64_t a = trace_hash(seeded(42));
  CHECK(a == trace_hash(seeded(42)));
  CHECK(a != trace_hash(seeded(43)));
  CHECK(trace_hash(seeded(42), false) != a);
}

TEST_CASE("replaying a recorded tape reproduces the identical trace") {
  auto recording = std::make_unique<RandomChoices>(2024);
  recording->start_recording();
  RandomChoices* recorder = recording.get();
  HashingSink original;
  Busy busy = busy_world(std::move(recording));
  busy.world->set_trace(&original);
  Nemesis::start(*busy.world, every_fault(busy.nodes));
  busy.world->run_until(at_ms(4000));
  ChoiceTape tape = recorder->tape();
  REQUIRE(tape.values.size() > 1000);

  auto replaying = std::make_unique<ReplayChoices>(tape);
  ReplayChoices* replayer = replaying.get();
  replayer->start_recording();
  HashingSink replayed;
  Busy again = busy_world(std::move(replaying));
  again.world->set_trace(&replayed);
  Nemesis::start(*again.world, every_fault(again.nodes));
  again.world->run_until(at_ms(4000));
  CHECK(replayed.hash == original.hash);
  CHECK(replayed.events == original.events);
  CHECK(replayer->consumed() == tape.values.size());
  CHECK(replayer->tape() == tape);

  // And the tape is what drives the run: an edited tape gives another trace. (A few values: one
  // alone may be a draw whose outcome a flipped bit does not change.)
  ChoiceTape edited = tape;
  for (size_t i = tape.values.size() / 2; i < tape.values.size() / 2 + 8; ++i)
    edited.values[i] ^= 1;
  CHECK(trace_hash(std::make_unique<ReplayChoices>(edited)) != original.hash);
}

TEST_CASE("the trace records true time, local clocks and Lamport clocks") {
  RecordingSink sink;
  World world(WorldOptions{constant_latency(milliseconds(2))}, seeded(1));
  world.set_trace(&sink);
  NodeId b = world.add_node("b", scripted(Script{}), NodeClock(Drift{0}, seconds(1)));
  world.add_node("a", scripted(Script{[b](Context& ctx, int64_t&) { ctx.send(b, Ping{7}); }}),
                 NodeClock(Drift{100'000}, {}), at_ms(10));
  world.run_until(at_ms(20));
  auto sends = sink.of_kind(TraceKind::kSend);
  auto delivers = sink.of_kind(TraceKind::kDeliver);
  REQUIRE(sends.size() == 1);
  REQUIRE(delivers.size() == 1);
  CHECK(sends[0].at == at_ms(10));
  CHECK(sends[0].local.since_epoch() == milliseconds(11));  // 10% fast
  CHECK(sends[0].data == nlohmann::json{{"n", 7}, {"type", "Ping"}});
  CHECK(delivers[0].at == at_ms(12));
  CHECK(delivers[0].wall.since_epoch() == milliseconds(12) + seconds(1));
  CHECK(delivers[0].lamport > sends[0].lamport);
  CHECK(delivers[0].message_id == sends[0].message_id);
  for (size_t i = 0; i < sink.events.size(); ++i) CHECK(sink.events[i].index == i);
}

TEST_CASE("a paused node handles nothing until it resumes, then sees its clock has moved on") {
  struct Handled {
    TrueTime at;
    LocalTime local;
    std::string what;
  };
  std::vector<Handled> handled;
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(1));
  NodeId p =
      world.add_node("p", scripted(Script{
                              [](Context& ctx, int64_t&) { ctx.set_timer(milliseconds(50)); },
                              [&handled](Context& ctx, const Message&, int64_t&) {
                                handled.push_back({ctx.observer_time(), ctx.now(), "message"});
                              },
                              [&handled](Context& ctx, TimerId, uint64_t, int64_t&) {
                                handled.push_back({ctx.observer_time(), ctx.now(), "timer"});
                              },
                          }));
  world.add_node("s", scripted(Script{[p](Context& ctx, int64_t&) { ctx.send(p, Ping{}); }}),
                 NodeClock{}, at_ms(30));
  Fault pause;
  pause.kind = Fault::Kind::kPause;
  pause.at = at_ms(20);
  pause.node = p;
  Fault resume = pause;
  resume.kind = Fault::Kind::kResume;
  resume.at = at_ms(200);
  world.schedule_fault(pause);
  world.schedule_fault(resume);

  world.run_until(at_ms(199));
  CHECK(world.is_paused(p));
  CHECK(handled.empty());
  CHECK(world.healthy_since() == std::nullopt);
  world.run_until(at_ms(300));
  REQUIRE(handled.size() == 2);
  for (const Handled& h : handled) {
    // Handled at the resume, with the clock reading 200ms, not when they were due.
    CHECK(h.at >= at_ms(200));
    CHECK(h.at < at_ms(200) + microseconds(1));
    CHECK(h.local.since_epoch() >= milliseconds(200));
  }
  // In the order they arrived: the message at 31ms, then the timer due at 50ms.
  CHECK(handled[0].what == "message");
  CHECK(handled[1].what == "timer");
  CHECK(world.healthy_since() == at_ms(200));
}

TEST_CASE(
    "a message that reached a paused node survives a partition that starts before the resume") {
  // It is in the node's receive buffer, as a GC pause leaves the kernel's TCP stack receiving;
  // a message still on the wire when the partition starts is lost.
  std::vector<int64_t> got;
  World world(WorldOptions{constant_latency(milliseconds(10))}, seeded(1));
  NodeId p = world.add_node("p", scripted(Script{nullptr,
                                                 [&got](Context&, const Message& m, int64_t&) {
                                                   got.push_back(m.payload.as<Ping>()->n);
                                                 },
                                                 nullptr}));
  NodeId s = world.add_node(
      "s", scripted(Script{[p](Context& ctx, int64_t&) {
                             ctx.send(p, Ping{1});  // arrives at 10ms, during the pause
                             ctx.set_timer(milliseconds(15));
                           },
                           nullptr,
                           [p](Context& ctx, TimerId, uint64_t, int64_t&) {
                             ctx.send(p, Ping{2});  // on the wire at 20ms
                           }}));
  world.run_until(TrueTime{});
  world.pause(p);
  world.run_until(at_ms(20));
  world.partition(PartitionSpec{PartitionSpec::Mode::kSplit, {{p}, {s}}});
  world.run_until(at_ms(50));
  world.resume(p);
  world.run_until(at_ms(60));
  CHECK(got == std::vector<int64_t>{1});
}

TEST_CASE("what reaches a paused node is handled after the resume in arrival order") {
  // Many messages on one FIFO link during a pause: whatever the seed, they stay in order.
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    NetworkOptions net;
    net.fifo_links = true;
    std::vector<int64_t> got;
    World world(WorldOptions{net}, seeded(seed));
    NodeId p = world.add_node("p", scripted(Script{nullptr,
                                                   [&got](Context&, const Message& m, int64_t&) {
                                                     got.push_back(m.payload.as<Ping>()->n);
                                                   },
                                                   nullptr}));
    world.add_node("s", scripted(Script{[p](Context& ctx, int64_t&) {
                     for (int i = 0; i < 50; ++i) ctx.send(p, Ping{i});
                   }}),
                   NodeClock{}, at_ms(1));
    world.run_until(TrueTime{});  // p boots
    world.pause(p);
    world.run_until(at_ms(100));
    CHECK(got.empty());
    world.resume(p);
    world.run_until(at_ms(200));
    REQUIRE(got.size() == 50);
    CHECK(std::is_sorted(got.begin(), got.end()));
  }
}

TEST_CASE("timers armed before a crash never fire, even after a restart") {
  std::vector<uint64_t> fired;
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node(
      "n", scripted(Script{
               [](Context& ctx, int64_t&) {
                 // Tag 1 on first boot, tag 2 after the restart.
                 bool restarted = ctx.storage().contains("booted");
                 ctx.storage().put("booted", Ping{});
                 ctx.storage().sync();
                 ctx.set_timer(milliseconds(100), restarted ? 2 : 1);
               },
               nullptr,
               [&fired](Context&, TimerId, uint64_t tag, int64_t&) { fired.push_back(tag); },
           }));
  world.run_until(at_ms(10));
  world.crash(n);
  world.run_until(at_ms(20));
  world.restart(n);
  world.run_until(at_ms(500));
  CHECK(fired == std::vector<uint64_t>{2});
}

TEST_CASE("a cancelled timer does not fire and a stale id cancels nothing") {
  std::vector<uint64_t> fired;
  World world(WorldOptions{}, seeded(1));
  world.add_node("n", scripted(Script{
                          [](Context& ctx, int64_t&) {
                            TimerId first = ctx.set_timer(milliseconds(10), 1);
                            ctx.cancel_timer(first);
                            ctx.set_timer(milliseconds(20), 2);
                          },
                          nullptr,
                          [&fired](Context& ctx, TimerId id, uint64_t tag, int64_t&) {
                            fired.push_back(tag);
                            ctx.cancel_timer(id);  // already fired: harmless
                            if (tag == 2) {
                              TimerId stale = ctx.set_timer(milliseconds(5), 3);
                              ctx.cancel_timer(stale);
                              ctx.cancel_timer(stale);
                              ctx.set_timer(milliseconds(5), 4);
                            }
                          },
                      }));
  world.run_until(at_ms(100));
  CHECK(fired == std::vector<uint64_t>{2, 4});
}

TEST_CASE("an invariant is checked after every event and a violation stops the run") {
  RecordingSink sink;
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(1));
  world.set_trace(&sink);
  Busy unused;
  NodeId n = world.add_node("n", scripted(gossip(1)));
  world.add_invariant("fewer than 3 writes", [&world, n]() -> std::optional<std::string> {
    if (world.storage(n).writes() < 3) return std::nullopt;
    return "wrote " + std::to_string(world.storage(n).writes());
  });
  NodeId m = world.add_node("m", scripted(Script{[n](Context& ctx, int64_t&) {
                              for (int i = 0; i < 10; ++i) ctx.send(n, Ping{i});
                            }}));
  (void)m;
  world.run_until(at_ms(100));
  CHECK(world.stopped());
  REQUIRE(world.violations().size() == 1);
  CHECK(world.violations()[0].checker == "fewer than 3 writes");
  CHECK(world.violations()[0].message == "wrote 3");
  CHECK(world.violations()[0].at_ns == at_ms(1).ns());
  CHECK(world.storage(n).writes() == 3);  // stopped at once, not at the end of the batch
  CHECK(sink.of_kind(TraceKind::kViolation).size() == 1);
  CHECK(world.violations()[0].trace_index == sink.of_kind(TraceKind::kViolation)[0].index);
}

TEST_CASE("an invariant names the nodes involved, and all broken by one event are reported") {
  RecordingSink sink;
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(1));
  world.set_trace(&sink);
  NodeId n = world.add_node("n", scripted(gossip(1)));
  world.add_invariant("at most 2 writes", [&world, n]() -> std::optional<Finding> {
    if (world.storage(n).writes() <= 2) return std::nullopt;
    // The world sets the checker and the time: whatever the invariant puts there is replaced.
    return faultline::Finding{
        .checker = "ignored", .at_ns = -1, .message = "3 writes", .involved = {"n"}};
  });
  world.add_invariant("fewer than 3 writes", [&world, n]() -> std::optional<std::string> {
    if (world.storage(n).writes() < 3) return std::nullopt;
    return "wrote " + std::to_string(world.storage(n).writes());
  });
  world.add_node("m", scripted(Script{[n](Context& ctx, int64_t&) {
                   for (int i = 0; i < 10; ++i) ctx.send(n, Ping{i});
                 }}));
  world.run_until(at_ms(100));
  CHECK(world.stopped());
  REQUIRE(world.violations().size() == 2);
  CHECK(world.violations()[0].checker == "at most 2 writes");
  CHECK(world.violations()[0].at_ns == at_ms(1).ns());
  CHECK(world.violations()[0].involved == std::vector<std::string>{"n"});
  CHECK(world.violations()[1].checker == "fewer than 3 writes");
  CHECK(world.violations()[1].involved.empty());
  CHECK(world.storage(n).writes() == 3);
  const auto records = sink.of_kind(TraceKind::kViolation);
  REQUIRE(records.size() == 2);
  CHECK(records[0].detail == "at most 2 writes: 3 writes");
  CHECK(records[1].detail == "fewer than 3 writes: wrote 3");
}

TEST_CASE("a world with nothing left to do is quiescent and its time advances to the end") {
  World world(WorldOptions{}, seeded(1));
  world.add_node("n", scripted(Script{}));
  CHECK_FALSE(world.quiescent());
  world.run_until(at_ms(5));
  CHECK(world.quiescent());
  CHECK(world.now() == at_ms(5));
  CHECK(world.stats().events == 1);
}

TEST_CASE("fault sites never fire with buggify off, and fire by seed with it on") {
  auto fired_with = [](bool on, uint64_t seed) {
    WorldOptions options;
    options.buggify = on;
    options.buggify_site_probability = 0.5;
    std::vector<int> fired;
    World world(options, seeded(seed));
    world.add_node("n", scripted(Script{[&fired](Context& ctx, int64_t&) {
                     for (int i = 0; i < 20; ++i) {
                       if (ctx.buggify(0.5)) fired.push_back(i);
                       if (ctx.buggify(1.0)) fired.push_back(100 + i);
                     }
                   }}));
    world.run_until(at_ms(1));
    return fired;
  };
  CHECK(fired_with(false, 1).empty());
  std::set<std::vector<int>> outcomes;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto fired = fired_with(true, seed);
    CHECK(fired == fired_with(true, seed));
    // The second site is either enabled for the whole run (fires all 20 times) or not at all.
    size_t second = std::count_if(fired.begin(), fired.end(), [](int i) { return i >= 100; });
    CHECK((second == 0 || second == 20));
    outcomes.insert(fired);
  }
  CHECK(outcomes.size() > 3);
}

TEST_CASE("a node crashed from inside its handler goes down after the handler and restarts") {
  // A fault site's "crash between logging and sending": what the handler did stands (the write
  // it synced, the message it sent), the node is down once the handler returns, and it boots
  // again after the stated downtime with only its synced storage.
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(1));
  std::vector<int64_t> boots_ms;
  std::vector<int64_t> received_ms;
  NodeId peer = world.add_node(
      "peer", scripted(Script{nullptr, [&](Context& ctx, const Message&, int64_t&) {
                                received_ms.push_back(ctx.observer_time().ns() / 1000000);
                              }}));
  NodeId n = world.add_node("n", scripted(Script{[&, peer](Context& ctx, int64_t&) {
                              boots_ms.push_back(ctx.observer_time().ns() / 1000000);
                              if (ctx.storage().contains("logged")) return;
                              ctx.storage().put("logged", Ping{1});
                              ctx.storage().sync();
                              ctx.send(peer, Ping{});
                              ctx.crash_after_handler(milliseconds(20));
                            }}));
  world.run_until(at_ms(1));
  CHECK_FALSE(world.is_up(n));
  world.run_until(at_ms(50));
  CHECK(world.is_up(n));
  CHECK(boots_ms == std::vector<int64_t>{0, 20});
  CHECK(received_ms == std::vector<int64_t>{1});
  CHECK(world.storage(n).contains("logged"));
  CHECK(world.healthy_since() == at_ms(20));
}

// --- the nemesis -------------------------------------------------------------------------------

namespace {

TraceKind kind_of_fault(NemesisOptions::Kind kind) {
  switch (kind) {
    case NemesisOptions::Kind::kPartition:
      return TraceKind::kPartition;
    case NemesisOptions::Kind::kCrash:
      return TraceKind::kCrash;
    case NemesisOptions::Kind::kPause:
      return TraceKind::kPause;
    case NemesisOptions::Kind::kClockJump:
      return TraceKind::kClockJump;
    case NemesisOptions::Kind::kClockDrift:
      return TraceKind::kClockDrift;
    case NemesisOptions::Kind::kLossBurst:
      return TraceKind::kNetwork;
  }
  return TraceKind::kNote;
}

const std::set<TraceKind> kFaultKinds = {
    TraceKind::kCrash,     TraceKind::kRestart,    TraceKind::kPause,
    TraceKind::kResume,    TraceKind::kPartition,  TraceKind::kHeal,
    TraceKind::kClockJump, TraceKind::kClockDrift, TraceKind::kNetwork};

// What undoes a fault in the trace.
const std::set<TraceKind> kUndoKinds = {TraceKind::kRestart, TraceKind::kResume, TraceKind::kHeal};

}  // namespace

TEST_CASE("the nemesis injects faults of the enabled kinds only (seeds 1-5 per kind)") {
  const NemesisOptions::Kind all[] = {
      NemesisOptions::Kind::kPartition,  NemesisOptions::Kind::kCrash,
      NemesisOptions::Kind::kPause,      NemesisOptions::Kind::kClockJump,
      NemesisOptions::Kind::kClockDrift, NemesisOptions::Kind::kLossBurst};
  for (NemesisOptions::Kind kind : all) {
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      CAPTURE(to_string(kind));
      CAPTURE(seed);
      RecordingSink sink;
      Busy busy = busy_world(seeded(seed));
      busy.world->set_trace(&sink);
      NemesisOptions nemesis = every_fault(busy.nodes);
      nemesis.kinds = {kind};
      Nemesis::start(*busy.world, nemesis);
      busy.world->run_until(at_ms(4000));
      std::set<TraceKind> seen;
      for (const TraceEvent& e : sink.events) {
        if (kFaultKinds.count(e.kind)) seen.insert(e.kind);
      }
      TraceKind injected = kind_of_fault(kind);
      CHECK(sink.count(injected) > 5);
      std::set<TraceKind> allowed{injected};
      if (kind == NemesisOptions::Kind::kPartition) allowed.insert(TraceKind::kHeal);
      if (kind == NemesisOptions::Kind::kCrash) allowed.insert(TraceKind::kRestart);
      if (kind == NemesisOptions::Kind::kPause) allowed.insert(TraceKind::kResume);
      for (TraceKind k : seen) {
        CAPTURE(to_string(k));
        CHECK(allowed.count(k) == 1);
      }
    }
  }
}

TEST_CASE("the nemesis acts only within [start, stop) and heals everything at stop (seeds 1-10)") {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    RecordingSink sink;
    Busy busy = busy_world(seeded(seed));
    World& world = *busy.world;
    world.set_trace(&sink);
    // Two nodes start with a drift of their own: the heal restores it, not zero.
    NemesisOptions nemesis = every_fault(busy.nodes);
    Nemesis::start(world, nemesis);
    world.run_until(nemesis.stop - nanoseconds(1));
    size_t faults = 0;
    for (const TraceEvent& e : sink.events) {
      if (!kFaultKinds.count(e.kind)) continue;
      ++faults;
      CHECK(e.at >= nemesis.start);
      CHECK(e.at < nemesis.stop);
    }
    CHECK(faults > 20);

    world.run_until(nemesis.stop);
    for (const TraceEvent& e : sink.events) {
      if (e.at == nemesis.stop && kFaultKinds.count(e.kind)) {
        // At stop only undoing: restarts, resumes, heal, the configured network, drifts and
        // wall-clock offsets back.
        bool undoing = kUndoKinds.count(e.kind) || e.kind == TraceKind::kNetwork ||
                       e.kind == TraceKind::kClockDrift || e.kind == TraceKind::kClockJump;
        CHECK(undoing);
      }
    }
    REQUIRE(world.healthy_since().has_value());
    CHECK(*world.healthy_since() <= nemesis.stop);
    for (NodeId n : busy.nodes) {
      CHECK(world.is_up(n));
      CHECK_FALSE(world.is_paused(n));
      CHECK(world.clock(n).drift() == Drift{0});
    }
    CHECK(world.network().loss == Probability::from_double(0.05));

    // After the stop: nothing more from the nemesis, and every link carries messages again.
    size_t before = sink.events.size();
    world.run_until(at_ms(5000));
    for (size_t i = before; i < sink.events.size(); ++i) {
      CHECK(kFaultKinds.count(sink.events[i].kind) == 0);
      if (sink.events[i].kind == TraceKind::kDrop) CHECK(sink.events[i].detail == "loss");
    }
    CHECK(world.healthy_since() <= nemesis.stop);
  }
}

TEST_CASE("the nemesis never has more than max_down targets crashed or paused (seeds 1-10)") {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    Busy busy = busy_world(seeded(seed), 5);
    World& world = *busy.world;
    NemesisOptions nemesis = every_fault(busy.nodes);
    nemesis.kinds = {NemesisOptions::Kind::kCrash, NemesisOptions::Kind::kPause};
    nemesis.interval_mean = milliseconds(20);
    nemesis.max_down = 2;
    Nemesis::start(world, nemesis);
    uint32_t most_down = 0;
    world.add_invariant("max_down", [&]() -> std::optional<std::string> {
      if (world.now() < nemesis.start) return std::nullopt;  // still booting
      uint32_t down = 0;
      for (NodeId n : busy.nodes) down += !world.is_up(n) || world.is_paused(n);
      most_down = std::max(most_down, down);
      if (down > nemesis.max_down) return std::to_string(down) + " down";
      return std::nullopt;
    });
    world.run_until(at_ms(4000));
    CHECK(world.violations().empty());
    CHECK(most_down == 2);  // it does use its allowance
  }
}

TEST_CASE("the nemesis is deterministic per seed") {
  auto faults_of = [](uint64_t seed) {
    RecordingSink sink;
    Busy busy = busy_world(seeded(seed));
    busy.world->set_trace(&sink);
    Nemesis::start(*busy.world, every_fault(busy.nodes));
    busy.world->run_until(at_ms(4000));
    std::vector<std::string> faults;
    for (const TraceEvent& e : sink.events) {
      if (kFaultKinds.count(e.kind)) {
        faults.push_back(std::to_string(e.at.ns()) + " " + std::string(to_string(e.kind)) + " " +
                         std::to_string(e.node) + " " + e.detail);
      }
    }
    return faults;
  };
  auto a = faults_of(5);
  CHECK(a == faults_of(5));
  CHECK(a != faults_of(6));
}

TEST_CASE("a disabled nemesis does nothing") {
  RecordingSink sink;
  Busy busy = busy_world(seeded(1));
  busy.world->set_trace(&sink);
  NemesisOptions nemesis = every_fault(busy.nodes);
  nemesis.kinds.clear();
  Nemesis::start(*busy.world, nemesis);
  busy.world->run_until(at_ms(4000));
  for (const TraceEvent& e : sink.events) CHECK(kFaultKinds.count(e.kind) == 0);
  CHECK(busy.world->healthy_since() == TrueTime{});
}

TEST_CASE("timers fire at their deadlines in time order through heavy cancellation (seeds 1-5)") {
  // Thousands of timers, two thirds cancelled: enough for the event queue to compact itself.
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    std::vector<std::pair<TrueTime, uint64_t>> fired;
    std::set<uint64_t> expected;
    World world(WorldOptions{}, seeded(seed));
    world.add_node("n",
                   scripted(Script{
                       [&expected](Context& ctx, int64_t&) {
                         std::vector<TimerId> ids;
                         for (uint64_t i = 0; i < 3000; ++i) {
                           Duration after = nanoseconds(int64_t(ctx.random(1000)) * 1000);
                           // The deadline rides in the tag, in ns.
                           ids.push_back(ctx.set_timer(after, uint64_t(after.ns()) * 4096 + i));
                         }
                         for (uint64_t i = 0; i < 3000; ++i) {
                           if (i % 3 != 0) {
                             ctx.cancel_timer(ids[i]);
                           } else {
                             expected.insert(i);
                           }
                         }
                       },
                       nullptr,
                       [&fired](Context& ctx, TimerId, uint64_t tag, int64_t&) {
                         fired.emplace_back(ctx.observer_time(), tag);
                       },
                   }));
    world.run_until(at_ms(10));
    REQUIRE(fired.size() == expected.size());
    std::set<uint64_t> got;
    for (size_t i = 0; i < fired.size(); ++i) {
      CHECK(fired[i].first.ns() == int64_t(fired[i].second / 4096));
      if (i > 0) CHECK(fired[i - 1].first <= fired[i].first);
      got.insert(fired[i].second % 4096);
    }
    CHECK(got == expected);
  }
}

namespace {

// Always its protocol's leader, doing nothing else.
class Leading final : public Node {
 public:
  void on_message(Context&, const Message&) override {}
  bool leads() const override { return true; }
};

// The pauses and partitions a nemesis aimed at the leader with probability `aim` injects into
// five nodes of which n3 leads.
std::vector<Fault> aimed_faults(double aim, uint64_t seed) {
  World world(WorldOptions{}, seeded(seed));
  std::vector<NodeId> nodes;
  for (int i = 0; i < 5; ++i) {
    NodeFactory factory =
        i == 3 ? NodeFactory([] { return std::make_unique<Leading>(); }) : scripted(Script{});
    nodes.push_back(world.add_node("n" + std::to_string(i), factory));
  }
  NemesisOptions nemesis = every_fault(nodes);
  nemesis.kinds = {NemesisOptions::Kind::kPause, NemesisOptions::Kind::kPartition};
  nemesis.stop = at_ms(5000);
  nemesis.interval_mean = milliseconds(20);  // short faults, often: hundreds in a run
  nemesis.fault_max = milliseconds(20);
  nemesis.aim_at_leader = Probability::from_double(aim);
  Nemesis::start(world, nemesis);
  world.run_until(at_ms(5000));
  std::vector<Fault> faults;
  for (const Fault& f : world.fault_log()) {
    if (f.kind == Fault::Kind::kPause || f.kind == Fault::Kind::kPartition) faults.push_back(f);
  }
  return faults;
}

// Whether a partition singles out `node`: alone in a group (isolated, cut off one way, the
// bridge) or in the smaller side of a split.
bool singles_out(const PartitionSpec& p, NodeId node) {
  for (const auto& group : p.groups) {
    if (group == std::vector<NodeId>{node}) return true;
  }
  return p.mode == PartitionSpec::Mode::kSplit && p.groups.size() == 2 &&
         std::count(p.groups[0].begin(), p.groups[0].end(), node) == 1 &&
         p.groups[0].size() < p.groups[1].size();
}

}  // namespace

TEST_CASE("a nemesis aimed at the leader pauses it and partitions it into a minority") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<Fault> aimed = aimed_faults(1.0, seed);
    REQUIRE(aimed.size() > 100);
    std::set<PartitionSpec::Mode> modes;
    for (const Fault& f : aimed) {
      if (f.kind == Fault::Kind::kPause) CHECK(f.node == 3);
      if (f.kind == Fault::Kind::kPartition) {
        CHECK(singles_out(f.partition, 3));
        modes.insert(f.partition.mode);
      }
    }
    CHECK(modes.size() == 4);  // split (the drawn minority), isolate, one-way, bridge
    CHECK(aimed_faults(1.0, seed).size() == aimed.size());  // deterministic

    // Unaimed, the same nemesis spreads its pauses over the nodes.
    std::set<NodeId> paused;
    for (const Fault& f : aimed_faults(0.0, seed)) {
      if (f.kind == Fault::Kind::kPause) paused.insert(f.node);
    }
    CHECK(paused.size() == 5);
  }
}

TEST_CASE("a swarm nemesis runs a different subset of its fault kinds at each seed") {
  std::set<std::set<Fault::Kind>> subsets;
  std::set<size_t> counts;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Busy busy = busy_world(seeded(seed));
    NemesisOptions nemesis = every_fault(busy.nodes);
    nemesis.swarm = true;
    Nemesis::start(*busy.world, nemesis);
    busy.world->run_until(at_ms(4000));
    std::set<Fault::Kind> kinds;
    for (const Fault& f : busy.world->fault_log()) {
      // What the nemesis injects; restarts, resumes and heals are its undos.
      if (f.kind == Fault::Kind::kCrash || f.kind == Fault::Kind::kPause ||
          f.kind == Fault::Kind::kPartition || f.kind == Fault::Kind::kClockJump) {
        kinds.insert(f.kind);
      }
    }
    subsets.insert(kinds);
    counts.insert(busy.world->fault_log().size() / 10);
  }
  CHECK(subsets.size() >= 6);  // of the 16 subsets of these four kinds
  CHECK(counts.size() >= 3);   // intervals differ, and with them the number of faults
}

TEST_CASE("a run stops at its event bound or its fault bound and says which") {
  auto bounded = [](uint64_t max_events, uint64_t max_faults) {
    WorldOptions options;
    options.max_events = max_events;
    options.max_faults = max_faults;
    auto world = std::make_unique<World>(options, seeded(1));
    std::vector<NodeId> nodes;
    for (size_t i = 0; i < 5; ++i) {
      nodes.push_back(world->add_node("n" + std::to_string(i), scripted(gossip(5))));
    }
    Nemesis::start(*world, every_fault(nodes));
    world->run_until(at_ms(4000));
    return world;
  };
  std::unique_ptr<World> free = bounded(0, 0);
  CHECK(free->limit_reached() == "");
  REQUIRE(free->stats().events > 1000);
  REQUIRE(free->stats().faults > 10);

  std::unique_ptr<World> by_events = bounded(1000, 0);
  CHECK(by_events->limit_reached() == "events");
  CHECK(by_events->stopped());
  CHECK(by_events->stats().events == 1000);

  std::unique_ptr<World> by_faults = bounded(0, 10);
  CHECK(by_faults->limit_reached() == "faults");
  CHECK(by_faults->stats().faults >= 10);
  CHECK(by_faults->stats().faults < free->stats().faults);
  CHECK(by_faults->now() < at_ms(4000));
}
