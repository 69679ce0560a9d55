// How long a run's pictures take to make, and how large they get (docs/benchmarks.md): for every
// catalog scenario that runs in time, at seeds 1..N (and any extra `FILE:SEED` given), runs the
// scenario with its trace kept, then times what `faultline run` does after the simulation -
// the story, the causal slice, DOT, the SVG through libgvc, Mermaid, the ShiViz log, the HTML
// report, tape and summary (run::write_run_outputs) - into a scratch directory, median of
// `--repeat` writes. Prints one line per run and the worst render time and SVG size, also as
// `fig` lines.
//
//   build/bench/diagram_bench [--seeds N] [--repeat R] [--root DIR] [FILE:SEED ...]
// run from the source root (or pass --root DIR).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench/bench_report.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/spec_scenario.hpp"

namespace fs = std::filesystem;
using namespace faultline;

namespace {

struct Job {
  std::string file;
  uint64_t seed;
};

// Every scenario under scenarios/ that runs in time (spec models and searches have no diagram of
// a run), sorted.
std::vector<std::string> timed_scenarios(const std::string& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    nlohmann::json document = run::load_scenario_document(entry.path().string());
    if (run::names_a_spec(document) || document.contains("search")) continue;
    files.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Measured {
  double render_s = 0;  // median wall seconds of write_run_outputs
  double render_cpu_s = 0;
  uintmax_t svg_bytes = 0;
  uintmax_t report_bytes = 0;
  uint64_t events = 0;
  bool violation = false;
};

Measured measure(const std::string& root, const Job& job, int repeat, const fs::path& scratch) {
  run::Scenario scenario = run::load_scenario(root + "/" + job.file, {});
  run::RunOptions options;
  options.seed = job.seed;
  options.keep_trace = true;
  const run::RunOutcome outcome = run::run_scenario(scenario, options);
  Measured m;
  m.events = outcome.trace.size();
  m.violation = !outcome.violations.empty();
  std::vector<double> wall, cpu;
  for (int i = 0; i < repeat; ++i) {
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    run::RunFiles files(scratch.string(), true);
    bench::Stopwatch watch;
    run::write_run_outputs(scenario, {}, outcome, files);
    const bench::Timing t = watch.elapsed();
    wall.push_back(t.wall);
    cpu.push_back(t.cpu);
    m.svg_bytes = files.svg.empty() ? 0 : fs::file_size(files.svg);
    m.report_bytes = fs::file_size(files.report);
  }
  m.render_s = bench::median(wall);
  m.render_cpu_s = bench::median(cpu);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t seeds = 3;
  int repeat = 3;
  std::string root = ".";
  std::vector<Job> extra;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seeds" && i + 1 < argc) {
      seeds = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--root" && i + 1 < argc) {
      root = argv[++i];
    } else if (const size_t colon = arg.rfind(':'); colon != std::string::npos) {
      extra.push_back({arg.substr(0, colon), std::strtoull(arg.c_str() + colon + 1, nullptr, 10)});
    } else {
      std::fprintf(stderr,
                   "usage: diagram_bench [--seeds N] [--repeat R] [--root DIR] [FILE:SEED ...]\n");
      return 2;
    }
  }
  std::vector<Job> jobs;
  for (const std::string& file : timed_scenarios(root))
    for (uint64_t seed = 1; seed <= seeds; ++seed) jobs.push_back({file, seed});
  jobs.insert(jobs.end(), extra.begin(), extra.end());

  const fs::path scratch =
      fs::temp_directory_path() / ("diagram_bench." + std::to_string(getpid()));
  Measured worst_time, worst_svg;
  Job slowest{}, largest{};
  std::vector<double> all_times;
  std::printf("%-58s %5s %8s %9s %10s %10s\n", "scenario", "seed", "events", "render s",
              "svg bytes", "html bytes");
  for (const Job& job : jobs) {
    const Measured m = measure(root, job, repeat, scratch);
    all_times.push_back(m.render_s);
    std::printf("%-58s %5llu %8llu %9.3f %10ju %10ju%s\n", job.file.c_str(),
                static_cast<unsigned long long>(job.seed),
                static_cast<unsigned long long>(m.events), m.render_s, m.svg_bytes, m.report_bytes,
                m.violation ? "  violation" : "");
    if (m.render_s > worst_time.render_s) worst_time = m, slowest = job;
    if (m.svg_bytes > worst_svg.svg_bytes) worst_svg = m, largest = job;
  }
  fs::remove_all(scratch);
  std::printf("\n%zu runs, render median %.3f s; slowest %.3f s (%.3f CPU s): %s seed %llu\n",
              jobs.size(), bench::median(all_times), worst_time.render_s, worst_time.render_cpu_s,
              slowest.file.c_str(), static_cast<unsigned long long>(slowest.seed));
  std::printf("largest SVG %ju bytes: %s seed %llu\n", worst_svg.svg_bytes, largest.file.c_str(),
              static_cast<unsigned long long>(largest.seed));
  std::printf("fig render_median_s %.4f s\nfig render_max_s %.4f s\nfig svg_max_bytes %ju B\n",
              bench::median(all_times), worst_time.render_s, worst_svg.svg_bytes);
  return 0;
}
