// Multi-Paxos figures: five servers and three kv clients under the seeded nemesis of
// scenarios/paxos/multi-paxos-nemesis.json (the property test's scenario):
//   - simulated events per wall second and simulated seconds per wall second, with the trace
//     written (to a stream that discards it: the cost of rendering, not of the disk) and off;
//   - seeds per wall second of that scenario, tracing off, as the property test runs it.
// Each figure is the median of --repeat runs (default 3) of 5 seeds each.
//
// usage: multipaxos_bench [source dir, default .] [--repeat N]

#include <cstdio>
#include <ostream>
#include <streambuf>
#include <string>

#include "bench/bench_report.hpp"
#include "cli/runner.hpp"
#include "cli/scenario.hpp"

namespace {

namespace cli = faultline::cli;
namespace bench = faultline::bench;

// A stream that accepts every byte and keeps none.
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

struct Totals {
  double events = 0;
  double simulated_s = 0;
  bench::Timing timing;
};

Totals run_seeds(const cli::Scenario& scenario, bool tracing, uint64_t first, int seeds) {
  NullBuffer discard;
  std::ostream sink(&discard);
  Totals totals;
  bench::Stopwatch watch;
  for (uint64_t seed = first; seed < first + static_cast<uint64_t>(seeds); ++seed) {
    cli::RunOptions options;
    options.seed = seed;
    if (tracing) options.trace_out = &sink;
    cli::RunOutcome outcome = cli::run_scenario(scenario, options);
    totals.events += static_cast<double>(outcome.stats.events);
    totals.simulated_s += static_cast<double>(outcome.simulated_ns) / 1e9;
  }
  totals.timing = watch.elapsed();
  return totals;
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  const int repeat = bench::repeat_from_args(argc, argv, 3);
  const int seeds = 5;
  cli::Scenario scenario = cli::load_scenario(root + "/scenarios/paxos/multi-paxos-nemesis.json");
  std::printf("multi-paxos, 5 servers, 3 clients, nemesis; median of %d runs of %d seeds\n", repeat,
              seeds);
  for (bool tracing : {false, true}) {
    const std::string mode = tracing ? "tracing on" : "tracing off";
    const std::string tag = tracing ? "traced" : "untraced";
    double events = bench::median_of(repeat, [&] {
      Totals t = run_seeds(scenario, tracing, 1, seeds);
      return t.events / t.timing.wall;
    });
    bench::figure("multipaxos_events_per_s_" + tag, events, "events/s",
                  "simulated events per wall second, " + mode);
    double simulated = bench::median_of(repeat, [&] {
      Totals t = run_seeds(scenario, tracing, 1, seeds);
      return t.simulated_s / t.timing.wall;
    });
    bench::figure("multipaxos_sim_s_per_s_" + tag, simulated, "sim-s/s",
                  "simulated seconds per wall second, " + mode);
  }
  double seeds_per_s = bench::median_of(repeat, [&] {
    Totals t = run_seeds(scenario, false, 1, seeds);
    return seeds / t.timing.wall;
  });
  bench::figure("multipaxos_seeds_per_s", seeds_per_s, "seeds/s",
                "seeds per wall second of multi-paxos-nemesis.json");
  return 0;
}
