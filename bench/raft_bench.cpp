// Raft's figures (issue 4, "Performance"): five servers and three kv clients under the seeded
// nemesis (scenarios/raft/nemesis.json), tracing off and on - simulated events and seconds per
// second - and the seeds per second of the property tests' scenarios.
//
// usage: raft_bench [source dir, default .] [--repeat N, default 3]   (medians of N runs)

#include <string>

#include "bench/scenario_bench.hpp"

int main(int argc, char** argv) {
  namespace bench = faultline::bench;
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  const int repeat = bench::repeat_from_args(argc, argv, 3);
  bench::bench_scenario(root, {"raft_nemesis", "scenarios/raft/nemesis.json", {}, 10, ""}, repeat);
  bench::bench_scenario(
      root, {"raft_nemesis_elections", "scenarios/raft/nemesis-elections.json", {}, 20, "", false},
      repeat);
  bench::bench_scenario(root,
                        {"raft_nemesis_elections_volatile_vote",
                         "scenarios/raft/nemesis-elections.json",
                         {"variant=volatile-vote"},
                         20,
                         "",
                         false},
                        repeat);
  return 0;
}
