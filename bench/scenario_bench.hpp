#pragma once
// Throughput of a catalog scenario, the figure every protocol's bench reports: runs seeds 1..N of
// a scenario in this process, with the trace off or written (to memory, so that the figure is the
// simulator's and the writer's cost, not the disk's), and reports per wall second and per CPU
// second of this thread: seeds, simulated events, simulated seconds, and one protocol figure
// summed over the runs (committed transactions, acquisitions, sagas...).

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "cli/runner.hpp"
#include "cli/scenario.hpp"

namespace faultline::bench {

struct ScenarioFigures {
  double wall_s = 0;
  double cpu_s = 0;
  uint64_t seeds = 0;
  uint64_t events = 0;
  double simulated_s = 0;
  double figure = 0;  // the protocol figure summed over the runs
  int violations = 0;
};

inline double clock_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Runs seeds 1..seeds. `figure` names an integer of the run's summary figures ("" for none).
inline ScenarioFigures measure_scenario(const cli::Scenario& scenario, uint64_t seeds, bool tracing,
                                        const std::string& figure) {
  ScenarioFigures out;
  const double wall0 = clock_seconds(CLOCK_MONOTONIC);
  const double cpu0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    std::ostringstream trace;
    cli::RunOptions options;
    options.seed = seed;
    if (tracing) options.trace_out = &trace;
    cli::RunOutcome outcome = cli::run_scenario(scenario, options);
    out.events += outcome.stats.events;
    out.simulated_s += static_cast<double>(outcome.simulated_ns) / 1e9;
    if (!figure.empty()) out.figure += outcome.figures.value(figure, 0.0);
    out.violations += outcome.violations.empty() ? 0 : 1;
  }
  out.wall_s = clock_seconds(CLOCK_MONOTONIC) - wall0;
  out.cpu_s = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0;
  out.seeds = seeds;
  return out;
}

inline void print_header() {
  std::printf("%-34s %-6s %10s %12s %12s %14s  %s\n", "scenario", "trace", "seeds/s", "events/s",
              "sim s/s", "figure/s", "(per wall second; per CPU second in brackets)");
}

// One line: each rate per wall second, and per CPU second in brackets.
inline void print_row(const std::string& name, bool tracing, const ScenarioFigures& f,
                      const std::string& figure) {
  auto rate = [&](double x) {
    char text[64];
    std::snprintf(text, sizeof text, "%.0f [%.0f]", x / f.wall_s, x / f.cpu_s);
    return std::string(text);
  };
  std::printf("%-34s %-6s %10s %12s %12s %14s  %s%s\n", name.c_str(), tracing ? "on" : "off",
              rate(static_cast<double>(f.seeds)).c_str(),
              rate(static_cast<double>(f.events)).c_str(), rate(f.simulated_s).c_str(),
              figure.empty() ? "-" : rate(f.figure).c_str(), figure.c_str(),
              f.violations ? " (some seeds violated)" : "");
}

// Loads `file` (relative to the source root) and prints a row with tracing off and one with it on.
inline void bench_scenario(const std::string& root, const std::string& file, uint64_t seeds,
                           const std::string& figure) {
  cli::Scenario scenario = cli::load_scenario(root + "/" + file, {});
  for (bool tracing : {false, true}) {
    print_row(file, tracing, measure_scenario(scenario, seeds, tracing, figure), figure);
  }
}

}  // namespace faultline::bench
