// The saga family's figures: sagas per wall second and seeds per wall second of the property
// tests' scenarios (scenarios/saga/trip-booking-faults.json, orchestrated, and
// choreography-faults.json), tracing off and on (the JSON Lines trace written to memory). Medians
// of --repeat runs (default 3), wall and CPU time: the bench machine is shared.
//
// usage: saga_bench [source dir, default .] [--repeat N]

#include <sstream>
#include <string>

#include "bench/bench_report.hpp"
#include "cli/runner.hpp"
#include "cli/scenario.hpp"

namespace {

namespace bench = faultline::bench;
namespace cli = faultline::cli;

void bench_scenario(const std::string& root, const std::string& name, bool tracing, int repeat) {
  cli::Scenario scenario = cli::load_scenario(root + "/scenarios/saga/" + name + ".json");
  const int seeds = 10;
  int64_t sagas = 0;
  bench::Timing t = bench::median_timing(repeat, [&] {
    sagas = 0;
    bench::Stopwatch watch;
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
      std::ostringstream trace;
      cli::RunOptions options;
      options.seed = seed;
      if (tracing) options.trace_out = &trace;
      cli::RunOutcome outcome = cli::run_scenario(scenario, options);
      sagas += outcome.figures.value("sagas_begun", int64_t{0});
    }
    return watch.elapsed();
  });
  const std::string tag = name + (tracing ? ".traced" : ".untraced");
  bench::figure(tag + ".seeds_per_wall_s", seeds / t.wall, "seeds/s",
                name + (tracing ? ", tracing on: " : ", tracing off: ") + "seeds per wall second");
  bench::figure(tag + ".seeds_per_cpu_s", seeds / t.cpu, "seeds/s", "  seeds per CPU second");
  bench::figure(tag + ".sagas_per_wall_s", sagas / t.wall, "sagas/s", "  sagas per wall second");
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  int repeat = bench::repeat_from_args(argc, argv, 3);
  for (const char* name : {"trip-booking-faults", "choreography-faults"}) {
    for (bool tracing : {false, true}) bench_scenario(root, name, tracing, repeat);
  }
  return 0;
}
