// Key placement figures against theory (docs/benchmarks.md): the fraction of keys that move when a
// node joins or leaves, and the load balance, for `% N`, a hash ring, a ring with virtual nodes,
// rendezvous and jump hashing. Each figure also as a `fig` line for scripts.
//
// usage: placement_bench [--keys K, default 100000]

#include <cstdio>
#include <cstdlib>
#include <string>

#include "protocols/ring/placement_figures.hpp"

int main(int argc, char** argv) {
  using namespace faultline::protocols::ring;
  size_t keys = 100'000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--keys") keys = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const Strategy strategies[] = {Strategy::kModulo, Strategy::kRing, Strategy::kRingVnodes,
                                 Strategy::kRendezvous, Strategy::kJump};
  for (size_t n : {10, 100}) {
    const auto before = node_names(n);
    auto after = before;
    after.push_back("node-" + std::to_string(n + 1));
    const double join_theory_modulo = static_cast<double>(n) / static_cast<double>(n + 1);
    const double join_theory_consistent = 1.0 / static_cast<double>(n + 1);
    std::printf("%zu nodes, %zu keys; a node joins (theory: %% N moves %.3f, consistent %.3f)\n", n,
                keys, join_theory_modulo, join_theory_consistent);
    std::printf("%12s %10s %14s %12s %14s\n", "strategy", "moved", "only to new", "max/mean",
                "stddev/mean");
    for (Strategy s : strategies) {
      const Movement m = movement(s, before, after, after.back(), keys, 256);
      const Balance b = balance(s, before, keys, 256);
      std::printf("%12s %10.4f %14s %12.3f %14.4f\n", std::string(to_string(s)).c_str(), m.moved,
                  m.only_to_or_from ? "yes" : "no", b.max_over_mean, b.stddev_over_mean);
      const std::string tag = "placement_" + std::string(to_string(s)) + "_" + std::to_string(n);
      std::printf("fig %s_moved %.6g fraction\nfig %s_max_over_mean %.6g ratio\n", tag.c_str(),
                  m.moved, tag.c_str(), b.max_over_mean);
    }
  }
  std::printf("ring load vs virtual nodes (10 nodes): V, max/mean, stddev/mean\n");
  for (size_t v : {1, 4, 16, 64, 256, 1024}) {
    const Balance b =
        balance(v == 1 ? Strategy::kRing : Strategy::kRingVnodes, node_names(10), keys, v);
    std::printf("%6zu %10.3f %12.4f\n", v, b.max_over_mean, b.stddev_over_mean);
  }
  return 0;
}
