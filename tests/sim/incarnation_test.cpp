#include "sim/incarnation.hpp"

#include <optional>
#include <vector>

#include <doctest/doctest.h>

#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

TEST_CASE("each crash starts a node's next incarnation, and the fault log says when it ended") {
  std::vector<uint32_t> booted_as;
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node("n", scripted({.start = [&booted_as](Context& ctx, int64_t&) {
                              booted_as.push_back(incarnation_of(ctx).number);
                            }}));
  NodeId other = world.add_node("other", scripted({}));
  world.run_until(at_ms(10));
  world.crash(n);
  world.crash(n);  // already down: no crash, no new incarnation
  world.crash(other);
  world.run_until(at_ms(20));
  world.restart(n);
  world.run_until(at_ms(35));
  world.crash(n);
  world.restart(n);
  world.run_until(at_ms(50));

  CHECK(booted_as == std::vector<uint32_t>{0, 1, 2});
  CHECK(incarnation_end(world, {n, 0}) == std::optional<TrueTime>(at_ms(10)));
  CHECK(incarnation_end(world, {n, 1}) == std::optional<TrueTime>(at_ms(35)));
  CHECK_FALSE(incarnation_end(world, {n, 2}).has_value());  // still running
  CHECK(incarnation_end(world, {other, 0}) == std::optional<TrueTime>(at_ms(10)));
}

TEST_CASE("a crash from inside a handler ends the incarnation when it takes effect") {
  World world(WorldOptions{}, seeded(1));
  NodeId n = world.add_node(
      "n", scripted({.start =
                         [](Context& ctx, int64_t&) {
                           if (incarnation_of(ctx).number == 0) ctx.set_timer(milliseconds(5));
                         },
                     .timer = [](Context& ctx, TimerId, uint64_t,
                                 int64_t&) { ctx.crash_after_handler(milliseconds(10)); }}));
  world.run_until(at_ms(100));
  CHECK(incarnation_end(world, {n, 0}) == std::optional<TrueTime>(at_ms(5)));
  CHECK_FALSE(incarnation_end(world, {n, 1}).has_value());
}
