// Multi-Paxos figures (issue 4, "Performance"): five servers and three kv clients under the
// seeded nemesis of scenarios/paxos/multi-paxos-nemesis.json (the property test's scenario),
// tracing off and on: seeds, simulated events and seconds per second.
//
// usage: multipaxos_bench [source dir, default .] [--repeat N, default 3]

#include <string>

#include "bench/scenario_bench.hpp"

int main(int argc, char** argv) {
  namespace bench = faultline::bench;
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  const int repeat = bench::repeat_from_args(argc, argv, 3);
  bench::bench_scenario(
      root, {"multipaxos_nemesis", "scenarios/paxos/multi-paxos-nemesis.json", {}, 5, ""}, repeat);
  return 0;
}
