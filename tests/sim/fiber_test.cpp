#include "sim/fiber.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/stack_pool.hpp"
#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// An actor server: replies Pong{n * 10} to Ping{n} after `delay` (0: at once). A negative n asks
// for no reply at all.
NodeFactory echo_server(Duration delay = Duration{}) {
  struct Server final : Node {
    explicit Server(Duration d) : delay(d) {}
    void on_message(Context& ctx, const Message& m) override {
      const Ping* ping = m.payload.as<Ping>();
      if (!ping || ping->n < 0) return;
      if (delay == Duration{}) {
        ctx.reply(m, Pong{ping->n * 10});
        return;
      }
      pending.push_back(m);
      ctx.set_timer(delay, pending.size() - 1);
    }
    void on_timer(Context& ctx, TimerId, uint64_t tag) override {
      ctx.reply(pending[tag], Pong{pending[tag].payload.as<Ping>()->n * 10});
    }
    Duration delay;
    std::vector<Message> pending;
  };
  return [delay] { return std::make_unique<Server>(delay); };
}

NodeFactory fiber(FiberNode::Body body) {
  return [body] { return std::make_unique<FiberNode>(body); };
}

int64_t pong(const std::optional<Message>& m) {
  REQUIRE(m.has_value());
  REQUIRE(m->payload.is<Pong>());
  return m->payload.as<Pong>()->n;
}

WorldOptions one_ms_network() {
  return WorldOptions{constant_latency(milliseconds(1))};
}

}  // namespace

TEST_CASE("a fiber client's call gets its reply") {
  std::vector<int64_t> replies;
  std::vector<TrueTime> when;
  World world(one_ms_network(), seeded(1));
  NodeId server = world.add_node("server", echo_server());
  NodeId client =
      world.add_node("client", fiber([&](Process& co) {
                       for (int i = 1; i <= 3; ++i) {
                         replies.push_back(pong(co.call(server, Ping{i}, milliseconds(50))));
                         when.push_back(co.ctx().observer_time());
                       }
                     }));
  world.run_until(at_ms(100));
  CHECK(replies == std::vector<int64_t>{10, 20, 30});
  CHECK(when == std::vector<TrueTime>{at_ms(2), at_ms(4), at_ms(6)});
  CHECK(world.node_as<FiberNode>(client)->finished());
}

TEST_CASE("a call that times out returns nullopt and its late reply is discarded") {
  std::vector<std::string> log;
  World world(one_ms_network(), seeded(1));
  NodeId server = world.add_node("server", echo_server(milliseconds(100)));
  world.add_node(
      "client", fiber([&](Process& co) {
        // The reply to this call arrives at 102ms; we give up at 50ms.
        auto first = co.call(server, Ping{1}, milliseconds(50));
        log.push_back(first ? "reply" : "timeout@" + std::to_string(co.ctx().observer_time().ns()));
        // A second call is pending when the first's late reply arrives: it must get its own reply
        // (Pong{20} at 50 + 1 + 100 + 1 = 152ms), not the stale Pong{10}.
        auto second = co.call(server, Ping{2}, milliseconds(500));
        log.push_back("reply " + std::to_string(pong(second)) + "@" +
                      std::to_string(co.ctx().observer_time().ns()));
        // Nor does a late reply turn up as a notification.
        auto third = co.call(server, Ping{3}, milliseconds(10));
        CHECK_FALSE(third.has_value());
        auto stray = co.receive(milliseconds(300));
        log.push_back(stray ? "stray" : "nothing");
      }));
  world.run_until(at_ms(1000));
  CHECK(log == std::vector<std::string>{"timeout@50000000", "reply 20@152000000", "nothing"});
}

TEST_CASE("sleep uses the node's monotonic clock, so drift changes its true length") {
  std::vector<TrueTime> woke;
  World world(WorldOptions{}, seeded(1));
  auto sleeper = [&woke](Process& co) {
    co.sleep(milliseconds(100));
    woke.push_back(co.ctx().observer_time());
  };
  world.add_node("fast", fiber(sleeper), NodeClock(Drift{100'000}, {}));
  world.add_node("jumped", fiber(sleeper), NodeClock(Drift{0}, seconds(1000)));
  world.run_until(at_ms(1000));
  REQUIRE(woke.size() == 2);
  CHECK(woke[0].ns() == 90'909'091);
  CHECK(woke[1] == at_ms(100));  // a wall offset does not matter
}

TEST_CASE("a crash mid-call unwinds the fiber and a restart runs its body afresh") {
  int starts = 0, unwound = 0, returned = 0;
  struct Guard {
    int* counter;
    ~Guard() { ++*counter; }
  };
  World world(one_ms_network(), seeded(1));
  NodeId server = world.add_node("server", echo_server());
  NodeId client = world.add_node("client", fiber([&](Process& co) {
                                   ++starts;
                                   Guard guard{&unwound};
                                   co.call(server, Ping{-1}, seconds(10));  // never answered
                                   ++returned;
                                 }));
  world.run_until(at_ms(10));
  CHECK(starts == 1);
  CHECK(unwound == 0);
  world.crash(client);
  CHECK(unwound == 1);  // the guard's destructor ran when the fiber was destroyed
  CHECK(returned == 0);
  world.run_until(at_ms(20));
  world.restart(client);
  CHECK(starts == 2);
  world.run_until(at_ms(30 * 1000));
  // The call's 10s timeout armed before the crash never resumes the new fiber; the new call's does.
  CHECK(returned == 1);
  CHECK(unwound == 2);
}

TEST_CASE("a catch-all in fiber code does not stop the unwinding of a crash") {
  int caught = 0, after = 0;
  World world(one_ms_network(), seeded(1));
  NodeId server = world.add_node("server", echo_server());
  NodeId client =
      world.add_node("client", fiber([&](Process& co) {
                       try {
                         co.call(server, Ping{-1}, seconds(10));
                       } catch (const std::exception&) {
                         ++caught;  // forced_unwind is no std::exception: it passes through
                       }
                       ++after;
                     }));
  world.run_until(at_ms(10));
  world.crash(client);
  CHECK(caught == 0);
  CHECK(after == 0);
}

TEST_CASE("an exception thrown in fiber code surfaces from run_until") {
  World world(one_ms_network(), seeded(1));
  NodeId server = world.add_node("server", echo_server());
  NodeId client = world.add_node("client", fiber([&](Process& co) {
                                   co.call(server, Ping{1}, milliseconds(50));
                                   throw std::runtime_error("client gave up");
                                 }));
  CHECK_THROWS_WITH_AS(world.run_until(at_ms(100)), "client gave up", std::runtime_error);
  CHECK(world.now() == at_ms(2));
  CHECK(world.node_as<FiberNode>(client)->finished());
  // The world is still usable afterwards: the rest of the run goes on.
  world.run_until(at_ms(100));
  CHECK(world.now() == at_ms(100));
}

TEST_CASE("an exception thrown before the first wait surfaces from run_until too") {
  World world(one_ms_network(), seeded(1));
  world.add_node("client", fiber([](Process&) { throw std::logic_error("at once"); }));
  CHECK_THROWS_AS(world.run_until(at_ms(1)), std::logic_error);
}

TEST_CASE("receive gets messages that are not replies, including those sent during a call") {
  std::vector<int64_t> got;
  World world(one_ms_network(), seeded(1));
  NodeId server = world.add_node("server", echo_server(milliseconds(20)));
  NodeId client = world.add_node("client", fiber([&](Process& co) {
                                   // While this call waits (until 22ms), the notifier's Ping{7}
                                   // arrives at 6ms: kept for later.
                                   CHECK(pong(co.call(server, Ping{1}, milliseconds(100))) == 10);
                                   for (int i = 0; i < 3; ++i) {
                                     auto m = co.receive(milliseconds(100));
                                     got.push_back(m ? m->payload.as<Ping>()->n : -1);
                                   }
                                 }));
  world.add_node("notifier", scripted(Script{
                                 [](Context& ctx, int64_t&) { ctx.set_timer(milliseconds(5)); },
                                 nullptr,
                                 [client](Context& ctx, TimerId, uint64_t, int64_t& counter) {
                                   ctx.send(client, Ping{7 + counter});
                                   if (++counter < 2) ctx.set_timer(milliseconds(30));
                                 },
                             }));
  world.run_until(at_ms(1000));
  CHECK(got == std::vector<int64_t>{7, 8, -1});
}

TEST_CASE("a pause defers a fiber's wakeup until the resume") {
  std::vector<TrueTime> woke;
  std::vector<LocalTime> local;
  World world(WorldOptions{}, seeded(1));
  NodeId sleeper = world.add_node("sleeper", fiber([&](Process& co) {
                                    co.sleep(milliseconds(100));
                                    woke.push_back(co.ctx().observer_time());
                                    local.push_back(co.now());
                                  }));
  Fault pause;
  pause.kind = Fault::Kind::kPause;
  pause.at = at_ms(50);
  pause.node = sleeper;
  Fault resume = pause;
  resume.kind = Fault::Kind::kResume;
  resume.at = at_ms(300);
  world.schedule_fault(pause);
  world.schedule_fault(resume);
  world.run_until(at_ms(299));
  CHECK(woke.empty());
  world.run_until(at_ms(1000));
  REQUIRE(woke.size() == 1);
  CHECK(woke[0] == at_ms(300));
  CHECK(local[0].since_epoch() == milliseconds(300));
}

TEST_CASE("fiber stacks are pooled: restarting fibers maps no new stacks") {
  World world(one_ms_network(), seeded(1));
  NodeId server = world.add_node("server", echo_server());
  std::vector<NodeId> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(world.add_node("c" + std::to_string(i), fiber([server](Process& co) {
                                       while (true) co.call(server, Ping{-1}, seconds(1));
                                     })));
  }
  world.run_until(at_ms(10));
  size_t mapped = StackPool::for_this_thread().mapped();
  CHECK(mapped >= 4 * StackPool::kStackSize);
  for (int round = 0; round < 20; ++round) {
    for (NodeId c : clients) world.crash(c);
    for (NodeId c : clients) world.restart(c);
    world.run_until(world.now() + milliseconds(5));
  }
  CHECK(StackPool::for_this_thread().mapped() == mapped);
}

TEST_CASE("fibers and actors interleave deterministically under the same seed") {
  auto run = [](uint64_t seed) {
    HashingSink sink;
    NetworkOptions net;  // uniform latency
    World world(WorldOptions{net}, seeded(seed));
    world.set_trace(&sink);
    NodeId server = world.add_node("server", echo_server());
    for (int i = 0; i < 5; ++i) {
      world.add_node("c" + std::to_string(i), fiber([server](Process& co) {
                       for (int k = 0; k < 20; ++k) {
                         co.call(server, Ping{k}, milliseconds(8));
                         co.sleep(co.ctx().random_duration(milliseconds(1), milliseconds(3)));
                       }
                     }));
    }
    world.run_until(at_ms(1000));
    return sink.hash;
  };
  CHECK(run(3) == run(3));
  CHECK(run(3) != run(4));
}
