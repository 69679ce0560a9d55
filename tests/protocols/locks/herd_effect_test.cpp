// The herd effect, measured (ZooKeeper Recipes and Solutions, "Locks"): with N waiters, a release
// notifies every waiter when all watch the children list, and one when each watches its
// predecessor only.
#include <doctest/doctest.h>

#include "protocols/locks/herd.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::protocols::locks {

TEST_CASE(
    "herd effect: N notifications per release watching the parent, 1 watching the predecessor") {
  for (int waiters : {5, 20}) {
    CAPTURE(waiters);
    HerdFigures herd = measure_herd("herd", waiters);
    HerdFigures recipe = measure_herd("recipe", waiters);
    CHECK(herd.releases == waiters);
    CHECK(recipe.releases == waiters);
    // Each release wakes every remaining waiter (about N/2 on average over the queue's drain).
    CHECK(herd.notifications_per_release >= waiters / 2.0 - 1);
    CHECK(recipe.notifications_per_release <= 1.0);
    CHECK(herd.messages_per_release > recipe.messages_per_release);
  }
}

}  // namespace faultline::protocols::locks
