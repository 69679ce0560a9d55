// The ZooKeeper lock recipe's herd effect: per release, the notifications and messages when every
// waiter watches the children list (the naive recipe) against watching only the predecessor.
//
// usage: herd_bench

#include <cstdio>

#include "protocols/locks/herd.hpp"

int main() {
  using faultline::protocols::locks::HerdFigures;
  using faultline::protocols::locks::measure_herd;
  std::printf("herd effect: per release, everyone watching the children list vs the recipe\n");
  std::printf("%8s %22s %22s %18s %18s\n", "waiters", "herd notifications", "recipe notifications",
              "herd messages", "recipe messages");
  for (int waiters : {5, 20, 100}) {
    HerdFigures herd = measure_herd("herd", waiters);
    HerdFigures recipe = measure_herd("recipe", waiters);
    std::printf("%8d %22.2f %22.2f %18.2f %18.2f\n", waiters, herd.notifications_per_release,
                recipe.notifications_per_release, herd.messages_per_release,
                recipe.messages_per_release);
  }
  return 0;
}
