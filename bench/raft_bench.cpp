// Raft's figures: how fast the simulator runs a five-server cluster with three kv clients under
// the seeded nemesis (scenarios/raft/nemesis.json), with the trace written (to a sink, so the
// figure is the cost of rendering it, not of a disk) and without; and how many seeds per wall
// second the property tests' scenarios get through.
//
// usage: raft_bench [source dir, default .] [--repeat N, default 3]   (medians of N runs)

#include <cstdio>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "bench/bench_report.hpp"
#include "cli/runner.hpp"
#include "cli/scenario.hpp"

namespace {

namespace bench = faultline::bench;
namespace cli = faultline::cli;

// Accepts and forgets every byte: the trace is rendered in full, then dropped.
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

struct Throughput {
  double events_per_wall_second = 0;
  double simulated_per_wall_second = 0;
  double seeds_per_wall_second = 0;
};

// Runs `seeds` seeds of the scenario once, tracing to a sink or not.
Throughput run_seeds(const cli::Scenario& scenario, int seeds, bool trace) {
  NullBuffer sink_buffer;
  std::ostream sink(&sink_buffer);
  uint64_t events = 0;
  int64_t simulated_ns = 0;
  bench::Stopwatch watch;
  for (int seed = 1; seed <= seeds; ++seed) {
    cli::RunOptions options;
    options.seed = static_cast<uint64_t>(seed);
    if (trace) options.trace_out = &sink;
    cli::RunOutcome outcome = cli::run_scenario(scenario, options);
    events += outcome.stats.events;
    simulated_ns += outcome.simulated_ns;
  }
  const double wall = watch.elapsed().wall;
  return Throughput{static_cast<double>(events) / wall,
                    static_cast<double>(simulated_ns) / 1e9 / wall, seeds / wall};
}

Throughput median_throughput(const cli::Scenario& scenario, int seeds, bool trace, int repeat) {
  std::vector<double> events, simulated, per_second;
  for (int i = 0; i < repeat; ++i) {
    Throughput t = run_seeds(scenario, seeds, trace);
    events.push_back(t.events_per_wall_second);
    simulated.push_back(t.simulated_per_wall_second);
    per_second.push_back(t.seeds_per_wall_second);
  }
  return Throughput{bench::median(events), bench::median(simulated), bench::median(per_second)};
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = argc > 1 && std::string(argv[1]) != "--repeat" ? argv[1] : ".";
  const int repeat = bench::repeat_from_args(argc, argv, 3);
  std::printf("raft: medians of %d runs, wall time\n", repeat);

  cli::Scenario nemesis = cli::load_scenario(root + "/scenarios/raft/nemesis.json", {});
  for (bool trace : {false, true}) {
    Throughput t = median_throughput(nemesis, 10, trace, repeat);
    const std::string mode = trace ? "traced" : "untraced";
    bench::figure("raft_nemesis_events_per_s_" + mode, t.events_per_wall_second, "events/s",
                  "5 servers, 3 clients, nemesis, " + mode + ": simulated events");
    bench::figure("raft_nemesis_sim_s_per_s_" + mode, t.simulated_per_wall_second, "sim-s/s",
                  "5 servers, 3 clients, nemesis, " + mode + ": simulated seconds");
  }

  // The property tests' scenarios, untraced as the tests run them.
  struct Property {
    const char* figure;
    const char* file;
    std::vector<std::string> overrides;
  };
  const std::vector<Property> properties = {
      {"raft_nemesis_seeds_per_s", "nemesis.json", {}},
      {"raft_nemesis_elections_seeds_per_s", "nemesis-elections.json", {}},
      {"raft_nemesis_elections_volatile_vote_seeds_per_s",
       "nemesis-elections.json",
       {"variant=volatile-vote"}},
  };
  for (const Property& p : properties) {
    cli::Scenario s = cli::load_scenario(root + "/scenarios/raft/" + p.file, p.overrides);
    Throughput t = median_throughput(s, 20, false, repeat);
    std::string label = std::string("property test: ") + p.file;
    for (const std::string& o : p.overrides) label += " " + o;
    bench::figure(p.figure, t.seeds_per_wall_second, "seeds/s", label);
  }
  return 0;
}
