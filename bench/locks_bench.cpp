// The lock family's figures (issue 6, "Herd effect, measured" and "Performance"):
//   herd    ZooKeeper lock recipe with N waiters (5, 20, 100): watch notifications and messages
//           per release, everyone watching the children list ("herd") against each waiter
//           watching its predecessor ("recipe"): about N against 1;
//   seeds   seeds per wall second of each lock's nemesis scenario, and lock acquisitions per wall
//           second, tracing off (etcd's lock: five clients, ten rounds each, on three Raft
//           servers).
//
// usage: locks_bench [source dir, default .]

#include <chrono>
#include <cstdio>
#include <string>

#include "cli/runner.hpp"
#include "cli/scenario.hpp"
#include "protocols/locks/herd.hpp"

using faultline::protocols::locks::HerdFigures;
using faultline::protocols::locks::measure_herd;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void bench_scenario(const std::string& file, const std::vector<std::string>& overrides) {
  namespace cli = faultline::cli;
  cli::Scenario scenario = cli::load_scenario(file, overrides);
  auto start = std::chrono::steady_clock::now();
  int64_t acquisitions = 0;
  const int seeds = 20;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    cli::RunOutcome outcome = cli::run_scenario(scenario, cli::RunOptions{.seed = seed});
    acquisitions += outcome.figures.value("acquisitions", int64_t{0});
  }
  double wall = seconds_since(start);
  std::printf("%-40s %8.1f seeds/s %10.0f acquisitions/s\n", scenario.name.c_str(), seeds / wall,
              acquisitions / wall);
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = argc > 1 ? argv[1] : ".";
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
  std::printf("\nnemesis scenarios, 20 seeds each, tracing off\n");
  bench_scenario(root + "/scenarios/locks/lease-fenced-nemesis.json", {});
  bench_scenario(root + "/scenarios/locks/redlock-drift-ok.json", {});
  bench_scenario(root + "/scenarios/locks/zk-fenced-session-expiry-pause.json", {});
  // etcd's lock: every acquire, keepalive and poll is a Raft log entry on three servers.
  bench_scenario(root + "/scenarios/locks/etcd-fenced-lease-pause.json",
                 {"params.clients=5", "params.compute=100ms", "params.rounds=10", "duration=30s"});
  return 0;
}
