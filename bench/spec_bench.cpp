// Exhaustive search of the spec-level models (docs/model-checking.md): TwoPhase (TLA+ Examples)
// for a range of RM counts, breadth-first, one thread: distinct and generated states, the
// diameter, wall seconds, states per second and bytes per distinct state.
// bench/spin/compare.sh runs SPIN on the same model beside it.
//
//   build/bench/spec_bench [--rms FIRST..LAST] [--symmetry] [--model twophase|tcommit]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "spec/models/tcommit.hpp"
#include "spec/models/two_phase.hpp"
#include "spec/search.hpp"

using namespace faultline::spec;

int main(int argc, char** argv) {
  int first = 3, last = 8;
  bool symmetry = false;
  std::string model_name = "twophase";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rms") == 0 && i + 1 < argc) {
      if (std::sscanf(argv[++i], "%d..%d", &first, &last) == 1) last = first;
    } else if (std::strcmp(argv[i], "--symmetry") == 0) {
      symmetry = true;
    } else if (std::strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
      model_name = argv[++i];
    } else {
      std::fprintf(
          stderr,
          "usage: spec_bench [--rms FIRST..LAST] [--symmetry] [--model twophase|tcommit]\n");
      return 2;
    }
  }
  if (first < 1 || last > 15 || first > last ||
      (model_name != "twophase" && model_name != "tcommit")) {
    std::fprintf(stderr, "spec_bench: --rms takes 1..15, --model twophase or tcommit\n");
    return 2;
  }
  // CPU seconds beside wall seconds: on a shared machine the CPU time is the figure to compare.
  std::printf("%-9s %4s %12s %14s %6s %9s %9s %16s %12s\n", "model", "rms", "distinct", "generated",
              "depth", "wall s", "cpu s", "generated/cpu s", "bytes/state");
  for (int rms = first; rms <= last; ++rms) {
    auto model = model_name == "twophase" ? models::two_phase(rms) : models::tcommit(rms);
    SearchOptions options;
    options.symmetry = symmetry;
    const auto started = std::chrono::steady_clock::now();
    const std::clock_t cpu_started = std::clock();
    SearchResult r = search(*model, options);
    const double cpu = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("%-9s %4d %12llu %14llu %6llu %9.3f %9.3f %16.0f %12.1f\n", model_name.c_str(), rms,
                static_cast<unsigned long long>(r.distinct_states),
                static_cast<unsigned long long>(r.generated_states),
                static_cast<unsigned long long>(r.depth), seconds, cpu,
                r.generated_states / std::max(cpu, 1e-9),
                static_cast<double>(r.store_bytes) / static_cast<double>(r.distinct_states));
  }
  return 0;
}
