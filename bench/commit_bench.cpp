// The commit protocols' figures (issue 6, "Performance"): 2PC with 3 participants under the
// nemesis (crashes, partitions, loss bursts), plain 3PC under crashes and quorum 3PC under
// everything - the property tests' scenarios: seeds, simulated events and seconds, and committed
// transactions, per wall second and per CPU second, tracing off and on.
//
// usage: commit_bench [source dir, default .] [--repeat N, default 3]

#include <string>

#include "bench/scenario_bench.hpp"

int main(int argc, char** argv) {
  namespace bench = faultline::bench;
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  const int repeat = bench::repeat_from_args(argc, argv, 3);
  const std::string committed = "transactions_committed";
  bench::bench_scenario(root, {"2pc", "scenarios/twopc/commit-all-yes.json", {}, 20, committed},
                        repeat);
  bench::bench_scenario(
      root, {"3pc_plain", "scenarios/threepc/crash-nemesis.json", {}, 20, committed}, repeat);
  bench::bench_scenario(
      root, {"3pc_quorum", "scenarios/threepc/quorum-nemesis.json", {}, 20, committed}, repeat);
  return 0;
}
