// A lock holding is reported by the client while it is up; a crash ends it, and that end is read
// from the crash, not written while the crashed client's fiber unwinds
// (protocols/locks/lock_ghost).
#include "protocols/locks/lock_ghost.hpp"

#include <memory>

#include <doctest/doctest.h>

#include "sim/fiber.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::locks {
namespace {

sim::TrueTime at_ms(int64_t ms) {
  return sim::TrueTime{} + sim::milliseconds(ms);
}

// A client that holds "L" from 10 ms after each boot for `hold` (on its own clock), then ends
// the holding itself.
sim::NodeId add_holder(sim::World& world, LockGhost& ghost, sim::Duration hold) {
  return world.add_node("client", [&ghost, hold] {
    return std::make_unique<sim::FiberNode>([&ghost, hold](sim::Process& co) {
      co.sleep(sim::milliseconds(10));
      Holding holding(ghost, co.ctx(), "L", 7);
      co.sleep(hold);
      holding.end(co.ctx());
    });
  });
}

}  // namespace

TEST_CASE("a holding its client ends is judged as the client reported it") {
  LockGhost ghost;
  sim::World world(sim::WorldOptions{}, std::make_unique<sim::RandomChoices>(1));
  add_holder(world, ghost, sim::milliseconds(20));
  world.run_until(at_ms(100));
  REQUIRE(ghost.holdings.size() == 1);
  CHECK(ghost.holdings[0].holder == "client");
  CHECK(ghost.holdings[0].token == 7);
  CHECK(ghost.holdings[0].from_ns == at_ms(10).ns());
  CHECK(ghost.holdings[0].until_ns == at_ms(30).ns());
  CHECK(ghost.judged_holdings(world)[0].until_ns == at_ms(30).ns());
  CHECK(ghost.acquisitions_at_ns == std::vector<int64_t>{at_ms(10).ns()});
}

TEST_CASE("a crash ends its client's holding at the crash, with nothing written while unwinding") {
  LockGhost ghost;
  sim::World world(sim::WorldOptions{}, std::make_unique<sim::RandomChoices>(1));
  sim::NodeId client = add_holder(world, ghost, sim::milliseconds(500));
  world.run_until(at_ms(25));
  world.crash(client);  // unwinds the fiber in the middle of its holding
  REQUIRE(ghost.holdings.size() == 1);
  CHECK(ghost.holdings[0].until_ns == kNever);  // the crashed client said nothing
  world.run_until(at_ms(40));
  world.restart(client);  // holds again from 50 ms, and is still holding at the end
  world.run_until(at_ms(100));

  REQUIRE(ghost.holdings.size() == 2);
  CHECK(ghost.holders[0].number == 0);
  CHECK(ghost.holders[1].number == 1);
  std::vector<checkers::LockHolding> judged = ghost.judged_holdings(world);
  CHECK(judged[0].until_ns == at_ms(25).ns());
  CHECK(judged[1].from_ns == at_ms(50).ns());
  CHECK(judged[1].until_ns == kNever);  // its incarnation lives: still believed held
  CHECK(checkers::check_mutual_exclusion(judged).empty());
}

}  // namespace faultline::protocols::locks
