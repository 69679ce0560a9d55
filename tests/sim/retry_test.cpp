#include "sim/retry.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

// What a scripted server answers each Ping: Pong{0} "done", Pong{-1} "not ready here yet",
// Pong{100 + node} "ask that node", or nothing at all (kSilent).
constexpr int64_t kSilent = -100;

struct Servers {
  std::map<std::string, std::vector<int64_t>> answers;  // per server, in order; then the last
  std::vector<std::string> calls;                       // "name@ms", in order
};

NodeFactory server(Servers& s, const std::string& name) {
  return scripted({.message = [&s, name](Context& ctx, const Message& m, int64_t& served) {
    s.calls.push_back(name + "@" + std::to_string(ctx.observer_time().ns() / 1'000'000));
    const std::vector<int64_t>& script = s.answers[name];
    int64_t answer = script[std::min<size_t>(static_cast<size_t>(served++), script.size() - 1)];
    if (answer != kSilent) ctx.reply(m, Pong{answer});
  }});
}

RetryStep classify(const std::optional<Message>& reply) {
  const Pong* pong = reply ? reply->payload.as<Pong>() : nullptr;
  if (!pong) return RetryStep::next();
  if (pong->n == 0) return RetryStep::done();
  if (pong->n == -1) return RetryStep::stay();
  return RetryStep::next(static_cast<NodeId>(pong->n - 100));
}

RetryPolicy policy() {
  RetryPolicy p;
  p.call_timeout = milliseconds(50);
  p.backoff = milliseconds(20);
  p.give_up_after = milliseconds(1000);
  return p;
}

struct Outcome {
  bool answered = false;
  int64_t done_ms = -1;
  NodeId last = kNoNode;
};

// Three servers a, b, c (nodes 0..2) and a client that makes one retried call, starting at a,
// over the first `targets_used` of them.
Outcome run(Servers& s, RetryPolicy p, size_t first = 0, size_t targets_used = 3) {
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(1));
  std::vector<NodeId> targets;
  for (const char* name : {"a", "b", "c"}) targets.push_back(world.add_node(name, server(s, name)));
  targets.resize(targets_used);
  Outcome out;
  world.add_node("client", [&] {
    return std::make_unique<FiberNode>([&](Process& co) {
      RetryTargets rotation(targets, first);
      out.answered = rotation.call(co, Ping{1}, p, classify).has_value();
      out.done_ms = co.ctx().observer_time().ns() / 1'000'000;
      out.last = rotation.current();
    });
  });
  world.run_until(at_ms(5000));
  return out;
}

}  // namespace

TEST_CASE("a retried call follows a redirect at once, without backing off") {
  Servers s;
  s.answers = {{"a", {102}}, {"b", {0}}, {"c", {0}}};
  Outcome out = run(s, policy());
  CHECK(out.answered);
  CHECK(s.calls == std::vector<std::string>{"a@1", "c@3"});
  CHECK(out.done_ms == 4);
  CHECK(out.last == 2);  // the caller stays with the target that answered
}

TEST_CASE("a timeout moves a retried call to the next target after the backoff") {
  Servers s;
  s.answers = {{"a", {kSilent}}, {"b", {0}}, {"c", {0}}};
  Outcome out = run(s, policy());
  CHECK(out.answered);
  CHECK(s.calls == std::vector<std::string>{"a@1", "b@71"});  // 50 timeout + 20 backoff
  CHECK(out.done_ms == 72);
}

TEST_CASE("'not ready here' retries the same target after the backoff") {
  Servers s;
  s.answers = {{"a", {-1, -1, 0}}, {"b", {0}}, {"c", {0}}};
  Outcome out = run(s, policy());
  CHECK(out.answered);
  CHECK(s.calls == std::vector<std::string>{"a@1", "a@23", "a@45"});
  CHECK(out.last == 0);
}

TEST_CASE("a redirect to the target just called, or to a stranger, falls back to its kind") {
  Servers s;
  s.answers = {{"a", {100}}, {"b", {107}}, {"c", {0}}};  // a names itself, b an unknown node
  Outcome out = run(s, policy());
  CHECK(out.answered);
  CHECK(s.calls == std::vector<std::string>{"a@1", "b@23", "c@45"});
}

TEST_CASE("a retried call gives up at its deadline on the local clock") {
  Servers s;
  s.answers = {{"a", {kSilent}}, {"b", {kSilent}}, {"c", {kSilent}}};
  RetryPolicy p = policy();
  p.give_up_after = milliseconds(200);
  Outcome out = run(s, p, 1);
  CHECK_FALSE(out.answered);
  // Attempts start at 0, 70 and 140 ms; the one due at 210 is past the deadline.
  CHECK(s.calls == std::vector<std::string>{"b@1", "c@71", "a@141"});
  CHECK(out.done_ms == 210);
}

TEST_CASE("a retried call stops after max_attempts calls, without a last backoff") {
  Servers s;
  s.answers = {{"a", {kSilent}}, {"b", {kSilent}}, {"c", {kSilent}}};
  RetryPolicy p = policy();
  p.max_attempts = 2;
  Outcome out = run(s, p);
  CHECK_FALSE(out.answered);
  CHECK(s.calls == std::vector<std::string>{"a@1", "b@71"});
  CHECK(out.done_ms == 120);
}

TEST_CASE("a call until answered has no deadline and, without a backoff, resends at each timeout") {
  Servers s;
  // a is silent for 30 calls (1.5 s of timeouts, past the default deadline of 1 s), then answers.
  std::vector<int64_t> script(30, kSilent);
  script.push_back(0);
  s.answers = {{"a", script}};
  Outcome out = run(s, RetryPolicy::until_answered(milliseconds(50)), 0, 1);
  CHECK(out.answered);
  REQUIRE(s.calls.size() == 31);
  CHECK(s.calls[1] == "a@51");  // at the timeout, with no backoff between
  CHECK(s.calls[30] == "a@1501");
  CHECK(out.done_ms == 1502);
}

TEST_CASE("a call until answered with a backoff waits it between attempts") {
  Servers s;
  s.answers = {{"a", {kSilent, kSilent, 0}}};
  Outcome out = run(s, RetryPolicy::until_answered(milliseconds(50), milliseconds(30)), 0, 1);
  CHECK(out.answered);
  CHECK(s.calls == std::vector<std::string>{"a@1", "a@81", "a@161"});
}
