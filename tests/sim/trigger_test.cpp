// Faults fired by events (sim/faults.hpp FaultTrigger): the n-th matching send or delivery fires
// its fault once, at the documented point, and a trigger draws nothing from the tape.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// `a` sends Ping{1}, Ping{2}, ... to `b` every millisecond; `b` answers each with a Pong and
// notes (number, true time in ms) of every Ping it handles. Latency is 1ms exactly.
struct PingWorld {
  std::unique_ptr<World> world;
  NodeId a = 0, b = 0;
  std::shared_ptr<std::vector<std::pair<int64_t, int64_t>>> handled =
      std::make_shared<std::vector<std::pair<int64_t, int64_t>>>();
  RecordingSink sink;

  explicit PingWorld(uint64_t seed = 1) {
    world = std::make_unique<World>(WorldOptions{.network = constant_latency(milliseconds(1))},
                                    seeded(seed));
    world->set_trace(&sink);
    Script sender{
        [](Context& ctx, int64_t&) { ctx.set_timer(milliseconds(1)); },
        nullptr,
        [](Context& ctx, TimerId, uint64_t, int64_t& counter) {
          ctx.send(ctx.node_named("b"), Ping{++counter});
          ctx.set_timer(milliseconds(1));
        },
    };
    auto seen = handled;
    Script receiver{
        nullptr,
        [seen](Context& ctx, const Message& m, int64_t&) {
          if (!m.payload.is<Ping>()) return;
          seen->emplace_back(m.payload.as<Ping>()->n, ctx.observer_time().ns() / 1'000'000);
          ctx.reply(m, Pong{m.payload.as<Ping>()->n});
        },
        nullptr,
    };
    a = world->add_node("a", scripted(sender));
    b = world->add_node("b", scripted(receiver));
  }

  static Fault triggered(Fault::Kind kind, NodeId node, FaultTrigger when) {
    Fault f{.kind = kind, .node = node};
    f.when = std::move(when);
    return f;
  }

  std::vector<int64_t> pings_handled() const {
    std::vector<int64_t> out;
    for (const auto& p : *handled) out.push_back(p.first);
    return out;
  }
  // The send record of Ping{n}.
  TraceEvent ping_sent(int64_t n) const {
    for (const TraceEvent& e : sink.of_kind(TraceKind::kSend)) {
      if (e.data.value("type", "") == "Ping" && e.data.value("n", int64_t{0}) == n) return e;
    }
    return TraceEvent{};
  }
  // Index in the trace of the first record of `kind`, or -1.
  int64_t first(TraceKind kind) const {
    for (const TraceEvent& e : sink.events) {
      if (e.kind == kind) return static_cast<int64_t>(e.index);
    }
    return -1;
  }
};

FaultTrigger on_send(std::string type, uint32_t nth) {
  return FaultTrigger{.on = FaultTrigger::On::kSend, .type = std::move(type), .nth = nth};
}
FaultTrigger on_deliver(std::string type, uint32_t nth) {
  return FaultTrigger{.on = FaultTrigger::On::kDeliver, .type = std::move(type), .nth = nth};
}

}  // namespace

TEST_CASE("a send trigger fires once, on the nth matching send, after the sender's handler") {
  PingWorld w;
  FaultTrigger when = on_send("Ping", 3);
  when.node = w.a;
  when.peer = w.b;
  when.label = "faults[0]";
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kCrash, w.a, when));
  w.world->run_until(at_ms(20));

  // The third Ping was sent (its handler ran to the end) and is in flight: b handles it. None
  // follows: a crashed as that handler returned, at the send's instant.
  CHECK(w.pings_handled() == std::vector<int64_t>{1, 2, 3});
  CHECK_FALSE(w.world->is_up(w.a));
  REQUIRE(w.sink.count(TraceKind::kTrigger) == 1);
  const TraceEvent trigger = w.sink.of_kind(TraceKind::kTrigger)[0];
  const TraceEvent crash = w.sink.of_kind(TraceKind::kCrash)[0];
  const TraceEvent third_send = w.ping_sent(3);
  CHECK(trigger.at == at_ms(3));
  CHECK(crash.at == at_ms(3));
  CHECK(trigger.message_id == third_send.message_id);
  CHECK(trigger.node == w.a);
  CHECK(trigger.peer == w.b);
  CHECK(trigger.detail == "faults[0]: crash on send #3 (Ping)");
  CHECK(trigger.data["entry"] == "faults[0]");
  // The trigger record follows the send that fired it; the crash comes after the handler's step
  // (its timer-set), before any other event.
  CHECK(trigger.index == third_send.index + 1);
  CHECK(crash.index == trigger.index + 2);
  CHECK(w.sink.events[trigger.index + 1].kind == TraceKind::kTimerSet);
  // The fault log says what fired it.
  CHECK(w.world->unfired_triggers().empty());
  REQUIRE(w.world->fault_log().size() == 1);
  REQUIRE(w.world->fault_log()[0].when.has_value());
  CHECK(w.world->fault_log()[0].when->nth == 3);
  CHECK(w.world->fault_log()[0].at == at_ms(3));
}

TEST_CASE("a trigger's filters: type, node and peer") {
  PingWorld w;
  // b sends Pongs, never Pings; a sends Pings, never Pongs: neither of these ever fires.
  FaultTrigger pong_from_a = on_send("Pong", 1);
  pong_from_a.node = w.a;
  FaultTrigger ping_to_a = on_send("Ping", 1);
  ping_to_a.peer = w.a;
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kCrash, w.b, pong_from_a));
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kCrash, w.b, ping_to_a));
  // Any type from b, the second one: the Pong answering Ping 2, at 3ms.
  FaultTrigger second_from_b = on_send("", 2);
  second_from_b.node = w.b;
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kPause, w.a, second_from_b));
  w.world->run_until(at_ms(10));
  CHECK(w.sink.count(TraceKind::kTrigger) == 1);
  // The two that never fired are named, once each (their labels are empty here).
  CHECK(w.world->unfired_triggers() == std::vector<std::string>{"trigger"});
  CHECK(w.world->is_up(w.b));
  CHECK(w.world->is_paused(w.a));
  REQUIRE(w.sink.count(TraceKind::kPause) == 1);
  CHECK(w.sink.of_kind(TraceKind::kPause)[0].at == at_ms(3));
}

TEST_CASE("a drop trigger loses exactly the message that fired it") {
  PingWorld w;
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kDrop, kNoNode, on_send("Ping", 2)));
  w.world->run_until(at_ms(6) + nanoseconds(1));
  CHECK(w.pings_handled() == std::vector<int64_t>{1, 3, 4, 5});
  REQUIRE(w.sink.count(TraceKind::kDrop) == 1);
  const TraceEvent drop = w.sink.of_kind(TraceKind::kDrop)[0];
  CHECK(drop.detail == "trigger");
  CHECK(drop.message_id == w.ping_sent(2).message_id);
  CHECK(w.world->stats().messages_dropped == 1);
  REQUIRE(w.world->fault_log().size() == 1);
  CHECK(w.world->fault_log()[0].kind == Fault::Kind::kDrop);
}

TEST_CASE("a deliver drop trigger loses the message before its node handles it") {
  PingWorld w;
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kDrop, kNoNode, on_deliver("Ping", 1)));
  w.world->run_until(at_ms(4) + nanoseconds(1));
  CHECK(w.pings_handled() == std::vector<int64_t>{2, 3});
  CHECK(w.sink.of_kind(TraceKind::kDrop).at(0).at == at_ms(2));
}

TEST_CASE("a deliver trigger's pause holds the message that fired it until the resume") {
  PingWorld w;
  FaultTrigger when = on_deliver("Ping", 1);
  when.node = w.b;
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kPause, w.b, when));
  FaultTrigger later = when;
  later.after = milliseconds(5);
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kResume, w.b, later));
  w.world->run_until(at_ms(10));
  // Ping 1 arrived at 2ms into a paused b; b handled it first, at the resume (7ms), then the
  // Pings buffered since, in order.
  REQUIRE(w.handled->size() >= 6);
  CHECK((*w.handled)[0] == std::pair<int64_t, int64_t>{1, 7});
  CHECK((*w.handled)[5] == std::pair<int64_t, int64_t>{6, 7});
  CHECK(w.first(TraceKind::kTrigger) < w.first(TraceKind::kPause));
  CHECK(w.first(TraceKind::kPause) < w.first(TraceKind::kDeliver));
  // Both triggers count the same deliveries: both fired on Ping 1, and Ping 1's second arrival
  // (at the resume) counted for neither.
  CHECK(w.sink.count(TraceKind::kTrigger) == 2);
  CHECK(w.sink.count(TraceKind::kResume) == 1);
  CHECK(w.sink.of_kind(TraceKind::kResume)[0].at == at_ms(7));
}

TEST_CASE("a deliver trigger's crash of the receiver loses the message, as a crash would") {
  PingWorld w;
  w.world->schedule_fault(PingWorld::triggered(Fault::Kind::kCrash, w.b, on_deliver("Ping", 2)));
  w.world->run_until(at_ms(10));
  CHECK(w.pings_handled() == std::vector<int64_t>{1});
  CHECK(w.sink.of_kind(TraceKind::kDrop).at(0).detail == "down");
  CHECK(w.sink.of_kind(TraceKind::kCrash).at(0).at == at_ms(3));
}

TEST_CASE("triggers are deterministic and draw nothing: one that never fires changes nothing") {
  auto run = [](bool trigger, bool idle) {
    WorldOptions options;
    options.network.loss = Probability::from_double(0.1);
    options.network.duplicate = Probability::from_double(0.1);
    World world(options, seeded(42));
    HashingSink hash;
    world.set_trace(&hash);
    std::vector<NodeId> nodes;
    for (int i = 0; i < 4; ++i)
      nodes.push_back(world.add_node("n" + std::to_string(i), scripted(chatter(4))));
    if (trigger) {
      Fault f{.kind = Fault::Kind::kCrash, .node = nodes[1]};
      f.when = on_deliver(idle ? "Nothing" : "", idle ? 1 : 7);
      world.schedule_fault(f);
      Fault restart{.kind = Fault::Kind::kRestart, .node = nodes[1]};
      restart.when = f.when;
      restart.when->after = milliseconds(20);
      world.schedule_fault(restart);
    }
    world.run_until(at_ms(300));
    return std::make_pair(hash.hash, world.stats().faults);
  };
  CHECK(run(true, false) == run(true, false));
  CHECK(run(true, false).second == 2);
  CHECK(run(true, false).first != run(false, false).first);
  CHECK(run(true, true) == run(false, false));
}
