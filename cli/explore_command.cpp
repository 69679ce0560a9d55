// `faultline explore FILE --seeds A..B`: many seeds of one scenario, one world per thread, tracing
// off, each seed's result streamed to results.json in seed order (memory does not grow with the
// number of seeds) and into the bounded summary the CI outputs are rendered from (--junit, and
// GitHub's annotations and job summary: cli/ci_outputs); then the first failing seed shrunk
// (run/explore). This file parses the flags and prints.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include "cli/ci_outputs.hpp"
#include "cli/commands.hpp"
#include "cli/explore_spec.hpp"
#include "cli/explore_world.hpp"
#include "cli/number_flags.hpp"
#include "cli/progress_line.hpp"
#include "cli/results_counts.hpp"
#include "cli/run_command.hpp"
#include "cli/shrink_report.hpp"
#include "protocols/params.hpp"
#include "run/ci_report.hpp"
#include "run/explore.hpp"
#include "run/json_input.hpp"
#include "run/output_file.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/spec_scenario.hpp"
#include "sim/explore/shrink.hpp"
#include "sim/explore/sweep.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

// One world per core; at least one (the count may be unknown), at most what --jobs accepts.
unsigned default_jobs() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 1024u);
}

struct ExploreFlags {
  std::string file;
  std::string seeds = "1..100";
  std::string shard = "1/1";
  unsigned jobs = default_jobs();
  std::vector<std::string> set;
  std::string out;
  std::string junit;
  bool shrink = false;
  size_t shrink_budget = 2000;
  bool check_expect = false;
  std::string strategy;           // "": random for a protocol, the file's for a spec
  std::optional<uint32_t> depth;  // pct
  SpecExploreFlags spec;
};

// Seeds are run this many per thread at a time, then written: the results held in memory. The
// progress line does not wait for a batch: the workers count each seed as it finishes.
constexpr size_t kSeedsPerThreadAtOnce = 256;

sim::explore::SeedRange parse_seeds(const std::string& text) {
  size_t dots = text.find("..");
  uint64_t first = 0, last = 0;
  if (dots == std::string::npos) {
    if (parse_u64(text, first)) return {first, first};
  } else if (parse_u64(std::string_view(text).substr(0, dots), first) &&
             parse_u64(std::string_view(text).substr(dots + 2), last) && first <= last &&
             last - first < 100'000'000) {
    return {first, last};
  }
  throw protocols::ScenarioError(
      "--seeds", "", "a seed or a range FIRST..LAST (at most 10^8 seeds)", "\"" + text + "\"");
}

sim::explore::Shard parse_shard(const std::string& text) {
  size_t slash = text.find('/');
  uint64_t index = 0, count = 0;
  if (slash != std::string::npos && parse_u64(std::string_view(text).substr(0, slash), index) &&
      parse_u64(std::string_view(text).substr(slash + 1), count) && index >= 1 && index <= count &&
      count <= 100000) {
    return {static_cast<uint32_t>(index - 1), static_cast<uint32_t>(count)};
  }
  throw protocols::ScenarioError("--shard", "", "I/N with 1 <= I <= N (e.g. 2/8)",
                                 "\"" + text + "\"");
}

// results.json, written as the seeds finish: the runs in seed order, then the counts. The
// overrides are recorded so that merge's reproduce commands repeat them.
class ResultsStream {
 public:
  ResultsStream(std::ostream& out, const Scenario& scenario, const std::vector<std::string>& set,
                sim::explore::SeedRange range, sim::explore::Shard shard)
      : out_(out) {
    out_ << "{\n  \"scenario\": " << nlohmann::json(scenario.file).dump() << ",\n  \"seeds\": "
         << nlohmann::json{{"first", range.first}, {"last", range.last}}.dump()
         << ",\n  \"shard\": "
         << nlohmann::json{{"index", shard.index + 1}, {"count", shard.count}}.dump()
         << ",\n  \"set\": " << nlohmann::json(set).dump() << ",\n  \"runs\": [";
  }

  void add(const SeedResult& r) {
    nlohmann::json run = {{"seed", r.seed}, {"events", r.events}};
    if (!r.error.empty()) {
      run["error"] = r.error;
      ++counts_.violations["error"];
    } else if (!r.violated.empty()) {
      // Every checker that fired counts the seed, as `run --check-expect` judges any of them.
      run["violations"] = r.violated;
      for (const std::string& checker : r.violated) ++counts_.violations[checker];
    } else if (!r.undecided.empty()) {
      run["unknown"] = r.undecided;  // no violation, and no pass either
      ++counts_.unknown;
    } else {
      ++counts_.ok;
    }
    for (const ReachedProperty& p : r.sometimes) counts_.sometimes[p.name] += p.reached ? 1 : 0;
    // An exception's text may quote anything: never let it stop the file half-way.
    out_ << (first_ ? "\n    " : ",\n    ")
         << run.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    first_ = false;
  }

  const SeedCounts& finish() {
    out_ << (first_ ? "],\n" : "\n  ],\n") << "  \"ok\": " << counts_.ok
         << ",\n  \"unknown\": " << counts_.unknown
         << ",\n  \"violations\": " << nlohmann::json(counts_.violations).dump();
    if (!counts_.sometimes.empty())
      out_ << ",\n  \"sometimes\": " << nlohmann::json(counts_.sometimes).dump();
    out_ << "\n}\n";
    return counts_;
  }

 private:
  std::ostream& out_;
  SeedCounts counts_;
  bool first_ = true;
};

// The first failing seed shrunk both ways (run/explore.hpp): the tape's run written to
// DIR/shrunk, the minimal fault timeline to DIR/shrunk-seed-N.json and run once beside it. Each
// reports before -> after, and is called shrunk only when it is smaller.
void shrink_failure(const Scenario& scenario, const ExploreFlags& flags, const SeedResult& failure,
                    const std::string& dir) {
  // The violation the scenario expects when the seed shows it, else the first that fired.
  const std::vector<std::string>& fired = failure.violated;
  const bool expected_fired =
      scenario.expect && !scenario.expect->ok &&
      std::find(fired.begin(), fired.end(), scenario.expect->violation) != fired.end();
  const std::string& checker = expected_fired ? scenario.expect->violation : fired.front();
  std::cout << "shrinking seed " << failure.seed << " (" << checker << "):\n";
  TapeShrink tape = shrink_seed_tape(scenario, failure.seed, checker, flags.shrink_budget);
  const bool tape_shrunk = tape.after.size < tape.before.size;
  std::cout << "  tape:     "
            << (tape_shrunk ? before_after(tape.before, tape.after)
                            : "not shrunk: no smaller run within the budget (" +
                                  before_after(tape.before, tape.after) + ")")
            << " (" << tape.replays << " replays, " << tape.accepted << " kept; "
            << tape.choices_before << " -> " << tape.tape.values.size() << " choices)\n";
  TimelineMeasure timeline =
      shrink_seed_timeline(scenario, failure.seed, checker, flags.shrink_budget);
  if (timeline.after) {
    const bool smaller = sim::explore::no_larger(timeline.after->size, tape.before.size) &&
                         timeline.after->size < tape.before.size;
    std::cout << "  timeline: " << before_after(tape.before, *timeline.after) << " ("
              << timeline.shrink.replays << " replays)"
              << (!smaller ? ": larger than the seed's run, not a shrink"
                  : timeline.after->size < tape.after.size
                      ? ": smaller than the tape's run (faultline shrink does better here)"
                      : "")
              << "\n";
  } else {
    std::cout << "  timeline: the run's faults as an explicit timeline do not make " << checker
              << " fire\n";
  }

  RunFlags run;
  run.file = flags.file;
  run.set = flags.set;
  if (!tape.duration.empty()) run.set.push_back("duration=" + tape.duration);
  run.seed = failure.seed;
  run.out = dir + "/shrunk";
  run_and_report(load_scenario(flags.file, run.set), run, tape.tape, "");
  std::string minimal = dir + "/shrunk-seed-" + std::to_string(failure.seed) + ".json";
  if (timeline.after) write_and_run_minimal_scenario(timeline.shrink.scenario, minimal);
  std::cout << (tape_shrunk ? "shrunk" : "not shrunk") << " (tape): faultline replay " << run.out
            << "/tape.json\n";
  if (timeline.after) std::cout << "shrunk (fault timeline): faultline run " << minimal << "\n";
}

std::string default_dir(const Scenario& scenario, sim::explore::SeedRange range,
                        sim::explore::Shard shard) {
  return "faultline-out/" + scenario.name + "/explore-" + std::to_string(range.first) + "-" +
         std::to_string(range.last) + "-shard-" + std::to_string(shard.index + 1) + "-of-" +
         std::to_string(shard.count);
}

void print_reproduce(const Scenario& scenario, const std::vector<std::string>& set, uint64_t seed) {
  std::string overrides;
  for (const std::string& o : set) overrides += " --set '" + o + "'";
  std::cout << "reproduce: faultline run " << scenario.file << " --seed " << seed << overrides
            << "\nminimal fault timeline: faultline shrink " << scenario.file << " --seed " << seed
            << overrides << "\n";
}

// What a sweep found, beside the counts: the first failure and the first internal error.
struct SweepFindings {
  std::optional<SeedResult> first_failure;
  std::optional<SeedResult> first_error;
  uint64_t events = 0;
};

// Runs the shard's seeds in batches and streams each batch's results, in seed order.
// How many seeds of `range` the shard takes: every count-th from first + index.
uint64_t shard_size(sim::explore::SeedRange range, sim::explore::Shard shard) {
  const uint64_t start = range.first + shard.index;
  if (start < range.first || start > range.last) return 0;  // past the range (or 2^64)
  return (range.last - start) / shard.count + 1;
}

SweepFindings sweep_to(ResultsStream& results, CiSummary& summary, ProgressLine& progress,
                       const Scenario& scenario, sim::explore::SeedRange range,
                       sim::explore::Shard shard, unsigned jobs) {
  SweepFindings found;
  const uint64_t start = range.first + shard.index;
  const uint64_t total = shard_size(range, shard);
  const uint64_t batch = uint64_t{kSeedsPerThreadAtOnce} * std::max(1u, jobs);
  for (uint64_t done = 0; done < total;) {
    std::vector<uint64_t> seeds;
    for (; done < total && seeds.size() < batch; ++done)
      seeds.push_back(start + done * shard.count);
    std::vector<SeedResult> batch_results =
        sim::explore::sweep<SeedResult>(seeds, jobs, [&](uint64_t seed) {
          SeedResult r = run_seed(scenario, seed);
          progress.seed_done(!r.error.empty() || !r.violated.empty());
          return r;
        });
    for (SeedResult& r : batch_results) {
      if (r.bad_input) std::rethrow_exception(r.bad_input);  // nothing kept: the file is removed
      results.add(r);
      summary.add(r.seed, r.violated, r.error, r.undecided);
      found.events += r.events;
      if (!r.error.empty() && !found.first_error) found.first_error = r;
      if (r.error.empty() && !r.violated.empty() && !found.first_failure) found.first_failure = r;
    }
  }
  return found;
}

int explore(const ExploreFlags& flags) {
  nlohmann::json document = load_scenario_document(flags.file, flags.set);
  if (names_a_spec(document)) {
    // A search is one result, not seeds: JUnit's per-seed cases do not describe it (its JSON
    // summary, search.json, is what CI reads).
    if (flags.seeds != "1..100" || flags.shrink || !flags.junit.empty()) {
      throw protocols::ScenarioError("--seeds, --shrink, --junit", "",
                                     "them only with a protocol scenario (" + flags.file +
                                         " names a spec-level model, searched exhaustively)",
                                     "one of them");
    }
    SpecExploreFlags spec = flags.spec;
    spec.strategy = flags.strategy;
    spec.out = flags.out;
    spec.check_expect = flags.check_expect;
    const sim::explore::Shard shard = parse_shard(flags.shard);
    spec.shard = SearchShard{shard.index, shard.count};
    return explore_spec(parse_spec_scenario(flags.file, document), spec);
  }
  const bool searched =
      flags.strategy.empty() ? document.contains("search") : flags.strategy != "random";
  if (searched) {
    // A search of the implementation's untimed world: one result (PCT runs seeds, one at a time).
    Scenario scenario = parse_scenario(flags.file, document);
    const bool pct = flags.strategy == "pct" || (flags.strategy.empty() && scenario.search &&
                                                 scenario.search->strategy == "pct");
    if ((!pct && flags.seeds != "1..100") || (pct && flags.shard != "1/1") || flags.shrink ||
        !flags.junit.empty() || flags.spec.symmetry || !flags.spec.max_memory.empty()) {
      throw protocols::ScenarioError(
          "--seeds, --shard, --shrink, --junit, --symmetry, --max-memory", "",
          "none of them in an exhaustive search of a protocol (" + flags.file +
              "; --seeds goes with --strategy pct, --shard with bfs or dfs)",
          "one of them");
    }
    if (flags.depth && !pct) {
      throw protocols::ScenarioError("--depth", "", "it only with --strategy pct", "--depth");
    }
    WorldExploreFlags world;
    if (pct && flags.seeds != "1..100") {
      const sim::explore::SeedRange range = parse_seeds(flags.seeds);
      world.seeds = std::make_pair(range.first, range.last);
    }
    world.pct_depth = flags.depth;
    world.strategy = flags.strategy;
    world.max_depth = flags.spec.max_depth;
    world.max_states = flags.spec.max_states;
    world.set = flags.set;
    world.out = flags.out;
    world.json = flags.spec.json;
    world.check_expect = flags.check_expect;
    const sim::explore::Shard shard = parse_shard(flags.shard);
    world.shard = SearchShard{shard.index, shard.count};
    return explore_world(std::move(scenario), world);
  }
  if (flags.spec.max_depth || flags.spec.max_states || flags.spec.symmetry || flags.spec.json ||
      flags.depth) {
    throw protocols::ScenarioError("--max-depth, --max-states, --symmetry, --json, --depth", "",
                                   "them only with --strategy pct, bfs or dfs (" + flags.file +
                                       " is explored by random seeds)",
                                   "one of them");
  }
  Scenario scenario = parse_scenario(flags.file, document);
  sim::explore::SeedRange range = parse_seeds(flags.seeds);
  sim::explore::Shard shard = parse_shard(flags.shard);
  require_utf8(flags.out, flags.out, "--out");
  const uint64_t total = shard_size(range, shard);
  // The first seed runs alone: a scenario error surfaces once, as an error, not per seed.
  run_scenario(scenario, RunOptions{.seed = total ? range.first + shard.index : range.first});
  // Before the other seeds run: a bad --out fails now, not after an hour of work.
  const std::string dir = flags.out.empty() ? default_dir(scenario, range, shard) : flags.out;
  make_directories(dir);
  OutputFile results_file(dir + "/results.json");
  CiOutputs ci(flags.junit);

  std::cout << "faultline explore: " << scenario.name << ", seeds " << range.first << ".."
            << range.last << " (shard " << shard.index + 1 << "/" << shard.count << "): " << total
            << " runs on " << flags.jobs << " threads\n";
  std::cout.flush();                                // before the progress line on standard error
  auto started = std::chrono::steady_clock::now();  // for the rate printed, never for the runs
  ResultsStream results(results_file.stream(), scenario, flags.set, range, shard);
  CiSummary summary(scenario.file, flags.set);
  ProgressLine progress(total, ProgressLine::stderr_is_terminal());
  SweepFindings found = sweep_to(results, summary, progress, scenario, range, shard, flags.jobs);
  progress.finish();
  const SeedCounts& counts = results.finish();
  results_file.commit();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  print_counts(counts, total);
  std::cout << "  " << wall << " s wall, " << static_cast<uint64_t>(total / std::max(wall, 1e-9))
            << " seeds/s, " << static_cast<uint64_t>(found.events / std::max(wall, 1e-9))
            << " events/s\n";
  std::cout << "  results  " << dir << "/results.json\n";
  if (!flags.junit.empty()) std::cout << "  junit    " << flags.junit << "\n";
  if (found.first_failure && on_github_actions()) {
    // The job summary draws the first failing seed: one more run, traced this time.
    RunOutcome traced =
        run_scenario(scenario, RunOptions{.seed = found.first_failure->seed, .keep_trace = true});
    summary.set_diagram(found.first_failure->seed, mermaid_diagram(scenario, traced));
  }
  ci.write(summary);

  if (found.first_error) {
    std::cout << "  seed " << found.first_error->seed
              << ": internal error: " << found.first_error->error << "\n";
    return kExitInternal;
  }
  const std::optional<SeedResult>& failure = found.first_failure;
  if (failure && flags.shrink) shrink_failure(scenario, flags, *failure, dir);
  if (failure) print_reproduce(scenario, flags.set, failure->seed);
  if (flags.check_expect && scenario.expect) {
    // ok: every seed must pass. A violation: the bug must be found within this seed budget.
    bool met =
        scenario.expect->ok ? !failure : counts.violations.count(scenario.expect->violation) != 0;
    // Seeds no checker decided cannot show "ok on every seed": neither met nor broken.
    const bool undecided = met && scenario.expect->ok && counts.unknown > 0;
    std::cout << "  expected: "
              << (scenario.expect->ok ? "ok on every seed"
                                      : scenario.expect->violation + " on some seed")
              << (undecided ? " (UNKNOWN: " + std::to_string(counts.unknown) + " undecided)"
                  : met     ? std::string(" (as expected)")
                            : std::string(" (NOT MET)"))
              << "\n";
    if (undecided) return kExitUnknown;
    return met ? kExitOk : kExitViolation;
  }
  if (failure) return kExitViolation;
  return counts.unknown > 0 ? kExitUnknown : kExitOk;
}

}  // namespace

void add_explore_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ExploreFlags>();
  CLI::App* cmd = app.add_subcommand("explore", "Run many seeds of a scenario; shrink a failure");
  cmd->add_option("scenario", flags->file, "Scenario file (JSON)")->required();
  cmd->add_option("--seeds", flags->seeds, "A seed or a range FIRST..LAST (default 1..100)");
  cmd->add_option("--shard", flags->shard,
                  "Run shard I of N: of the seeds (every N-th seed), or of an exhaustive search "
                  "(the states past its first level of at least 8N states, by hash; faultline "
                  "merge sums the shards' search.json)");
  cmd->add_option("--jobs,-j", flags->jobs,
                  "Worlds run in parallel, one per thread (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--set", flags->set, "Override a scenario field (repeatable)");
  cmd->add_option("--out", flags->out, "Directory for results.json and the shrunk run");
  cmd->add_option("--junit", flags->junit,
                  "Also write JUnit XML here: a test case per failing seed (at most " +
                      std::to_string(CiSummary::kListedFailures) +
                      " listed), one for the rest. With GITHUB_ACTIONS=true, ::error annotations "
                      "go to stdout and a job summary to $GITHUB_STEP_SUMMARY");
  cmd->add_flag("--shrink", flags->shrink, "Shrink the first failing seed's choice tape");
  cmd->add_option("--shrink-budget", flags->shrink_budget, "Replays allowed while shrinking")
      ->check(non_negative_integer());
  cmd->add_flag(
      "--check-expect", flags->check_expect,
      "Exit 0 when the seeds show what `expect` says (ok: every seed; a violation: some)");
  cmd->add_option("--strategy", flags->strategy,
                  "random (seeds), pct (a protocol's untimed world, one PCT schedule per seed), "
                  "or bfs or dfs (exhaustive: a spec-level model's states, or every schedule of "
                  "a protocol's untimed world within its `search` budget)");
  cmd->add_option("--depth", flags->depth,
                  "PCT: the bug depth aimed at, d (d-1 priority change points per run; default 3)")
      ->check(CLI::Range(1u, 20u));
  cmd->add_option("--max-depth", flags->spec.max_depth,
                  "Exhaustive search: states deep at most (default: the file's, else unbounded)");
  cmd->add_option(
      "--max-states", flags->spec.max_states,
      "Exhaustive search: distinct states at most (default: the file's, else 2,684,354,559)");
  cmd->add_option("--max-memory", flags->spec.max_memory,
                  "Exhaustive search: the state store's bytes at most (default: half the "
                  "physical memory, at most 2GiB; none); past it the verdict is unknown, exit 4");
  cmd->add_flag("--symmetry", flags->spec.symmetry,
                "Exhaustive search: one state per orbit of the model's symmetry");
  cmd->add_flag("--json", flags->spec.json,
                "Exhaustive search: print the JSON summary (also written to search.json)");
  cmd->callback([flags, &exit_code] { exit_code = explore(*flags); });
}

}  // namespace faultline::cli
