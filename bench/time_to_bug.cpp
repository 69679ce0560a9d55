// Time to bug (docs/benchmarks.md): how long each way of looking takes to find each known bug of
// the catalog. For every catalog scenario that expects a violation:
// - with a nemesis: random testing (the scenario's nemesis, one run per seed) and swarm testing
//   (each seed first draws its own nemesis: `nemesis.swarm=true`), each as `--trials` independent
//   trials over disjoint seed ranges of `--budget` seeds; a trial's figure is the runs up to and
//   including the first that breaks the expected checker, and its wall and CPU seconds;
// - with a search budget (scenarios/search/): a PCT scenario the same way (one schedule per
//   seed); an exhaustive one by breadth-first and depth-first search once each (they draw
//   nothing): states generated up to the violation and the counterexample's steps. (A PCT
//   scenario's bounds are sized for sampling; searched exhaustively they take minutes.)
// A scenario with a hand-timed fault timeline shows its bug at its own seed by construction and is
// not measured. Medians are over the trials that found the bug; a row says how many did.
//
// usage: time_to_bug [--trials N, default 10] [--budget SEEDS, default 1000] [--jobs J]
//                    [--only PATH-SUBSTRING] [--root DIR]   (run from the source root)

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_report.hpp"
#include "run/explore.hpp"
#include "run/pct_search.hpp"
#include "run/scenario.hpp"
#include "run/spec_scenario.hpp"
#include "run/world_search.hpp"

namespace fs = std::filesystem;
using namespace faultline;

namespace {

struct Settings {
  std::string root = ".";
  std::string only;
  uint64_t trials = 10;
  uint64_t budget = 1000;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
};

struct Trial {
  std::optional<uint64_t> runs;  // to the first find; nullopt: not within the budget
  bench::Timing time;
};

// The runs of seeds first.. until one breaks `checker` (in chunks of a few seeds per thread, so
// that at most a chunk is run past the find), at most settings.budget of them.
Trial random_trial(const run::Scenario& scenario, const std::string& checker, uint64_t first,
                   const Settings& settings) {
  Trial trial;
  bench::Stopwatch watch;
  const uint64_t chunk = 2 * uint64_t(settings.jobs);
  for (uint64_t done = 0; done < settings.budget && !trial.runs;) {
    std::vector<uint64_t> seeds(std::min(chunk, settings.budget - done));
    std::iota(seeds.begin(), seeds.end(), first + done);
    for (const run::SeedResult& r : run::explore_seeds(scenario, seeds, settings.jobs)) {
      const bool found =
          r.error.empty() && !r.bad_input &&
          std::find(r.violated.begin(), r.violated.end(), checker) != r.violated.end();
      if (found) {
        trial.runs = r.seed - first + 1;
        break;
      }
    }
    done += seeds.size();
  }
  trial.time = watch.elapsed();
  return trial;
}

Trial pct_trial(const run::Scenario& scenario, uint64_t first, const Settings& settings) {
  run::PctOptions options;
  options.depth = scenario.search->pct_depth;
  options.first_seed = first;
  options.last_seed = first + settings.budget - 1;
  Trial trial;
  bench::Stopwatch watch;
  const run::PctResult result = run::pct_search(scenario, options);
  trial.time = watch.elapsed();
  if (result.failing_seed) trial.runs = *result.failing_seed - first + 1;
  return trial;
}

// One table row: the medians over the trials that found the bug.
void print_trials(const std::string& file, const std::string& strategy,
                  const std::vector<Trial>& trials, uint64_t budget) {
  std::vector<double> runs, wall, cpu;
  for (const Trial& t : trials) {
    if (!t.runs) continue;
    runs.push_back(double(*t.runs));
    wall.push_back(t.time.wall);
    cpu.push_back(t.time.cpu);
  }
  if (runs.empty()) {
    std::printf("| %s | %s | 0 of %zu | > %llu runs | | |\n", file.c_str(), strategy.c_str(),
                trials.size(), static_cast<unsigned long long>(budget));
    return;
  }
  std::printf("| %s | %s | %zu of %zu | %.0f runs | %.2f | %.2f |\n", file.c_str(),
              strategy.c_str(), runs.size(), trials.size(), bench::median(runs),
              bench::median(wall), bench::median(cpu));
  std::fflush(stdout);
}

void exhaustive_row(const std::string& file, const run::Scenario& scenario,
                    const std::string& strategy) {
  run::SearchSpec spec = *scenario.search;
  spec.strategy = strategy;
  bench::Stopwatch watch;
  const run::WorldSearchResult result = run::search_world(scenario, spec, scenario.seed);
  const bench::Timing t = watch.elapsed();
  if (!result.violation) {
    std::printf("| %s | %s | not found (%s) | %llu states | %.2f | %.2f |\n", file.c_str(),
                strategy.c_str(), result.exhausted ? "exhausted" : result.cut_by.c_str(),
                static_cast<unsigned long long>(result.generated_states), t.wall, t.cpu);
    return;
  }
  std::printf("| %s | %s | found, %llu steps | %llu states | %.2f | %.2f |\n", file.c_str(),
              strategy.c_str(), static_cast<unsigned long long>(result.violation->steps),
              static_cast<unsigned long long>(result.generated_states), t.wall, t.cpu);
  std::fflush(stdout);
}

std::vector<std::string> bug_scenarios(const Settings& settings) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(settings.root + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    const std::string file = fs::relative(entry.path(), settings.root).string();
    if (file.find(settings.only) == std::string::npos) continue;
    const nlohmann::json document = run::load_scenario_document(entry.path().string());
    if (run::names_a_spec(document)) continue;
    if (!document.contains("nemesis") && !document.contains("search")) continue;
    files.push_back(file);
  }
  std::sort(files.begin(), files.end());
  return files;
}

void measure(const std::string& file, const Settings& settings) {
  const run::Scenario scenario = run::load_scenario(settings.root + "/" + file, {});
  if (!scenario.expect || scenario.expect->ok) return;
  const std::string& checker = scenario.expect->violation;
  auto trials = [&](auto&& one) {
    std::vector<Trial> out;
    for (uint64_t t = 0; t < settings.trials; ++t) out.push_back(one(1 + t * settings.budget));
    return out;
  };
  if (scenario.search && scenario.search->strategy == "pct") {
    print_trials(file, "pct",
                 trials([&](uint64_t first) { return pct_trial(scenario, first, settings); }),
                 settings.budget);
    return;
  }
  if (scenario.search) {
    exhaustive_row(file, scenario, "bfs");
    exhaustive_row(file, scenario, "dfs");
    return;
  }
  print_trials(file, "random", trials([&](uint64_t first) {
                 return random_trial(scenario, checker, first, settings);
               }),
               settings.budget);
  const run::Scenario swarm =
      run::load_scenario(settings.root + "/" + file, {"nemesis.swarm=true"});
  print_trials(file, "swarm", trials([&](uint64_t first) {
                 return random_trial(swarm, checker, first, settings);
               }),
               settings.budget);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--trials") {
      settings.trials = std::max<uint64_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    } else if (flag == "--budget") {
      settings.budget = std::max<uint64_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    } else if (flag == "--jobs") {
      settings.jobs = std::max(1u, unsigned(std::strtoul(value.c_str(), nullptr, 10)));
    } else if (flag == "--only") {
      settings.only = value;
    } else if (flag == "--root") {
      settings.root = value;
    } else {
      std::fprintf(stderr,
                   "usage: time_to_bug [--trials N] [--budget SEEDS] [--jobs J] [--only TEXT] "
                   "[--root DIR]\n");
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr, "time_to_bug: every flag takes a value\n");
    return 2;
  }
  std::printf("%llu trials of at most %llu seeds each, %u threads\n\n",
              static_cast<unsigned long long>(settings.trials),
              static_cast<unsigned long long>(settings.budget), settings.jobs);
  std::printf("| scenario | strategy | found | to the first find (median) | wall s | CPU s |\n");
  std::printf("| --- | --- | --- | --- | --- | --- |\n");
  try {
    for (const std::string& file : bug_scenarios(settings)) measure(file, settings);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "time_to_bug: %s\n", e.what());
    return 1;
  }
  return 0;
}
