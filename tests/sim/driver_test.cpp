// World::wake_at: code outside the world (a driver, such as the nemesis) woken at true times of
// its choosing, as events of the one loop, ordered with messages and timers as they are among
// themselves.
#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/nemesis.hpp"
#include "sim/world.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// Two nodes: `a` (booting at 0) sends `b` a Ping that arrives `latency` later; `b` (booting at
// 1ms) arms a timer that fires at `timer_at`. Every delivery, timer and wake-up is logged with the
// true time it ran at.
struct Driven {
  std::unique_ptr<World> world;
  std::vector<std::string> log;
  NodeId a = 0, b = 0;

  Driven(std::unique_ptr<Choices> choices, Duration latency, TrueTime timer_at) {
    WorldOptions options;
    options.network = constant_latency(latency);
    world = std::make_unique<World>(options, std::move(choices));
    std::vector<std::string>* out = &log;
    World* w = world.get();
    b = 1;
    a = world->add_node(
        "a", scripted(Script{[this](Context& ctx, int64_t&) { ctx.send(b, Ping{}); }, nullptr,
                             nullptr}));
    const Duration after = timer_at - at_ms(1);
    world->add_node(
        "b",
        scripted(Script{[after](Context& ctx, int64_t&) { ctx.set_timer(after); },
                        [out, w](Context&, const Message&, int64_t&) {
                          out->push_back("deliver@" + format_duration(w->now() - TrueTime{}));
                        },
                        [out, w](Context&, TimerId, uint64_t, int64_t&) {
                          out->push_back("timer@" + format_duration(w->now() - TrueTime{}));
                        }}),
        NodeClock{}, at_ms(1));
  }

  void wake_at(TrueTime at, std::string name) {
    std::vector<std::string>* out = &log;
    World* w = world.get();
    world->wake_at(at, [out, w, name] {
      out->push_back(name + "@" + format_duration(w->now() - TrueTime{}));
    });
  }
};

}  // namespace

TEST_CASE("a driver is woken at the true times it asks for, between the world's own events") {
  Driven d(seeded(1), milliseconds(3), at_ms(7));
  d.wake_at(at_ms(9), "wake");
  d.wake_at(at_ms(1) + microseconds(500), "wake");
  d.wake_at(at_ms(5), "wake");
  d.world->run_until(at_ms(20));
  CHECK(d.log ==
        std::vector<std::string>{"wake@1.5ms", "deliver@3ms", "wake@5ms", "timer@7ms", "wake@9ms"});
  CHECK(d.world->quiescent());
}

TEST_CASE("a wake-up due with a message and a timer takes the turn the schedule draws for it") {
  // All three at 3ms. The schedule stream picks among them: with the path {i, j} the i-th of the
  // three in the order they were scheduled goes first, then the j-th of the two left.
  std::set<std::vector<std::string>> orders;
  for (uint32_t i = 0; i < 3; ++i) {
    for (uint32_t j = 0; j < 2; ++j) {
      std::vector<std::string> first_run;
      for (int run = 0; run < 2; ++run) {
        Driven d(std::make_unique<SteeredChoices>(std::vector<uint32_t>{i, j}, 7), milliseconds(3),
                 at_ms(3));
        d.wake_at(at_ms(3), "wake");  // scheduled before the run: first of the three
        d.world->run_until(at_ms(10));
        REQUIRE(d.log.size() == 3);
        if (run == 0) first_run = d.log;
        CHECK(d.log == first_run);  // the same choices, the same order
      }
      if (i == 0 && j == 0) {
        CHECK(first_run == std::vector<std::string>{"wake@3ms", "deliver@3ms", "timer@3ms"});
      }
      orders.insert(first_run);
    }
  }
  CHECK(orders.size() == 6);  // every order of the three, the wake-up in every place
}

TEST_CASE("a driver acts through the world's fault operations and wakes itself again") {
  RecordingSink sink;
  Driven d(seeded(1), milliseconds(3), at_ms(7));
  d.world->set_trace(&sink);
  World& world = *d.world;
  const NodeId b = d.b;
  world.wake_at(at_ms(2), [&world, b] {
    world.crash(b);
    const uint32_t crashed = world.incarnation(b);
    world.wake_at(world.now() + milliseconds(4), [&world, b, crashed] {
      if (world.incarnation(b) == crashed) world.restart(b);
    });
  });
  world.run_until(at_ms(20));
  REQUIRE(sink.count(TraceKind::kCrash) == 1);
  REQUIRE(sink.count(TraceKind::kRestart) == 1);
  CHECK(sink.of_kind(TraceKind::kCrash)[0].at == at_ms(2));
  CHECK(sink.of_kind(TraceKind::kRestart)[0].at == at_ms(6));
  // The message due at 3ms found b down; the timer armed before the crash never fired, the one
  // the restarted b armed did.
  CHECK(d.log == std::vector<std::string>{"timer@12ms"});
  CHECK(world.faults_in_force().empty());
}

TEST_CASE("a nemesis that is not enabled or has no targets is not started and draws nothing") {
  Driven d(seeded(1), milliseconds(3), at_ms(7));
  NemesisOptions off;
  off.kinds = {NemesisOptions::Kind::kCrash};
  off.start = at_ms(5);
  off.stop = at_ms(5);  // stop not after start
  CHECK(Nemesis::start(*d.world, off) == nullptr);
  off.stop = at_ms(50);
  CHECK(Nemesis::start(*d.world, off) == nullptr);  // no targets
  d.world->choices().start_recording();
  off.targets = {d.a, d.b};
  std::shared_ptr<Nemesis> on = Nemesis::start(*d.world, off);
  REQUIRE(on != nullptr);
  CHECK(d.world->choices().tape().values.size() == 1);  // the time of its first fault
  on.reset();                                           // the world's wake-ups hold it
  d.world->run_until(at_ms(100));
  CHECK(d.world->faults_in_force().empty());
}
