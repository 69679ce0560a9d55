#pragma once
// Throughput of a catalog scenario, the figures every protocol's bench reports: runs seeds 1..N of
// a scenario in this process, with the trace off or rendered in full into a stream that discards
// it (the cost of writing the trace, not of a disk), `repeat` times, and prints the medians per
// wall second and per CPU second: seeds, simulated events, simulated seconds, and one protocol
// figure from the run summaries (committed transactions, acquisitions, sagas...), each as a line
// for people and a `fig` line for scripts (bench/bench_report.hpp).

#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "bench/bench_report.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::bench {

// Accepts and forgets every byte.
class DiscardBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

struct ScenarioRun {
  Timing time;
  double seeds = 0;
  double events = 0;
  double simulated_s = 0;
  double figure = 0;  // the named summary figure, summed over the seeds
};

// Runs seeds 1..seeds once. `figure` names a number in the runs' summary figures ("" for none).
inline ScenarioRun run_seeds(const run::Scenario& scenario, uint64_t seeds, bool tracing,
                             const std::string& figure) {
  DiscardBuffer discard;
  std::ostream sink(&discard);
  ScenarioRun out;
  Stopwatch watch;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    run::RunOptions options;
    options.seed = seed;
    if (tracing) options.trace_out = &sink;
    run::RunOutcome outcome = run::run_scenario(scenario, options);
    out.events += static_cast<double>(outcome.stats.events);
    out.simulated_s += static_cast<double>(outcome.simulated_ns) / 1e9;
    if (!figure.empty()) out.figure += outcome.figures.value(figure, 0.0);
  }
  out.time = watch.elapsed();
  out.seeds = static_cast<double>(seeds);
  return out;
}

struct ScenarioBench {
  std::string tag;                     // names the `fig` lines, e.g. "raft_nemesis"
  std::string file;                    // relative to the source root
  std::vector<std::string> overrides;  // --set pairs
  uint64_t seeds = 10;
  std::string figure;       // a summary figure to report per second, e.g. "acquisitions"
  bool tracing_too = true;  // also measure with the trace written
};

// Prints, for tracing off (and on), the medians over `repeat` runs of seeds, events, simulated
// seconds and the figure, per wall second and per CPU second.
inline void bench_scenario(const std::string& root, const ScenarioBench& b, int repeat) {
  run::Scenario scenario = run::load_scenario(root + "/" + b.file, b.overrides);
  std::string label = b.file;
  for (const std::string& o : b.overrides) label += " --set " + o;
  for (bool tracing : {false, true}) {
    if (tracing && !b.tracing_too) break;
    std::vector<ScenarioRun> runs;
    for (int i = 0; i < repeat; ++i)
      runs.push_back(run_seeds(scenario, b.seeds, tracing, b.figure));
    const std::string mode = tracing ? "traced" : "untraced";
    std::printf("%s, tracing %s, %llu seeds, median of %d:\n", label.c_str(),
                tracing ? "on" : "off", static_cast<unsigned long long>(b.seeds), repeat);
    auto rate = [&](const char* what, const char* unit, double ScenarioRun::*field) {
      std::vector<double> wall, cpu;
      for (const ScenarioRun& r : runs) {
        wall.push_back(r.*field / r.time.wall);
        cpu.push_back(r.*field / r.time.cpu);
      }
      const std::string name = b.tag + "_" + what + "_" + mode;
      std::string words = what;
      for (char& c : words) c = c == '_' ? ' ' : c;
      figure(name + "_per_wall_s", median(wall), unit, "  " + words + " per wall second");
      figure(name + "_per_cpu_s", median(cpu), unit, "  " + words + " per CPU second");
    };
    rate("seeds", "seeds/s", &ScenarioRun::seeds);
    rate("events", "events/s", &ScenarioRun::events);
    rate("simulated_seconds", "sim-s/s", &ScenarioRun::simulated_s);
    if (!b.figure.empty()) rate(b.figure.c_str(), (b.figure + "/s").c_str(), &ScenarioRun::figure);
  }
}

}  // namespace faultline::bench
