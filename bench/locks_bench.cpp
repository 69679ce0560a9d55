// The lock family's figures (issue 6, "Herd effect, measured" and "Performance"):
//   herd    ZooKeeper lock recipe with N waiters (5, 20, 100): watch notifications and messages
//           per release, everyone watching the children list ("herd") against each waiter
//           watching its predecessor ("recipe"): about N against 1;
//   seeds   each lock's nemesis scenario: seeds, events and lock acquisitions per wall and CPU
//           second, tracing off and on (etcd's lock: five clients, ten rounds each, on three
//           Raft servers).
//
// usage: locks_bench [source dir, default .] [--repeat N, default 3]

#include <cstdio>
#include <string>

#include "bench/scenario_bench.hpp"
#include "protocols/locks/herd.hpp"

using faultline::protocols::locks::HerdFigures;
using faultline::protocols::locks::measure_herd;

namespace {}  // namespace

int main(int argc, char** argv) {
  namespace bench = faultline::bench;
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  const int repeat = bench::repeat_from_args(argc, argv, 3);
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
  std::printf("\nnemesis scenarios\n");
  const std::string acquisitions = "acquisitions";
  bench::bench_scenario(
      root, {"lease_fenced", "scenarios/locks/lease-fenced-nemesis.json", {}, 20, acquisitions},
      repeat);
  bench::bench_scenario(
      root, {"redlock", "scenarios/locks/redlock-drift-ok.json", {}, 20, acquisitions}, repeat);
  bench::bench_scenario(
      root, {"zk", "scenarios/locks/zk-fenced-session-expiry-pause.json", {}, 20, acquisitions},
      repeat);
  // etcd's lock: every acquire, keepalive and poll is a Raft log entry on three servers.
  bench::bench_scenario(
      root,
      {"etcd",
       "scenarios/locks/etcd-fenced-lease-pause.json",
       {"params.clients=5", "params.compute=100ms", "params.rounds=10", "duration=30s"},
       20,
       acquisitions},
      repeat);
  return 0;
}
