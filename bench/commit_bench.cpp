// The commit protocols' figures (issue 6, "Performance"): 2PC with 3 participants under the
// nemesis (crashes, partitions, loss bursts), plain 3PC under crashes and quorum 3PC under
// everything - the property tests' scenarios: seeds, simulated events and seconds, and committed
// transactions, per wall second and per CPU second, tracing off and on.
//
// usage: commit_bench [source dir, default .] [--seeds N, default 20]

#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/scenario_bench.hpp"

int main(int argc, char** argv) {
  std::string root = ".";
  uint64_t seeds = 20;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) {
      seeds = std::strtoull(argv[++i], nullptr, 10);
    } else {
      root = argv[i];
    }
  }
  using faultline::bench::bench_scenario;
  faultline::bench::print_header();
  bench_scenario(root, "scenarios/twopc/commit-all-yes.json", seeds, "transactions_committed");
  bench_scenario(root, "scenarios/threepc/crash-nemesis.json", seeds, "transactions_committed");
  bench_scenario(root, "scenarios/threepc/quorum-nemesis.json", seeds, "transactions_committed");
  return 0;
}
