// `faultline explore FILE --seeds A..B`: many seeds of one scenario, one world per thread, tracing
// off; then the first failing seed's tape shrunk to a minimal failing run, written out in full.
// The exploring is run/explore's; this file parses the flags and prints.
// `faultline merge`: the results of several shards as one.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.hpp"
#include "cli/run_command.hpp"
#include "cli/shrink_report.hpp"
#include "protocols/params.hpp"
#include "run/explore.hpp"
#include "run/output_file.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "sim/explore/sweep.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

struct ExploreFlags {
  std::string file;
  std::string seeds = "1..100";
  std::string shard = "1/1";
  unsigned jobs = 1;
  std::vector<std::string> set;
  std::string out;
  bool shrink = false;
  size_t shrink_budget = 2000;
  bool check_expect = false;
};

sim::explore::SeedRange parse_seeds(const std::string& text) {
  size_t dots = text.find("..");
  try {
    size_t used = 0;
    if (dots == std::string::npos) {
      uint64_t one = std::stoull(text, &used);
      if (used == text.size()) return {one, one};
    } else {
      uint64_t first = std::stoull(text.substr(0, dots), &used);
      size_t used_last = 0;
      uint64_t last = std::stoull(text.substr(dots + 2), &used_last);
      if (used == dots && used_last == text.size() - dots - 2 && first <= last &&
          last - first < 100'000'000) {
        return {first, last};
      }
    }
  } catch (const std::exception&) {
  }
  throw protocols::ScenarioError(
      "--seeds", "", "a seed or a range FIRST..LAST (at most 10^8 seeds)", "\"" + text + "\"");
}

sim::explore::Shard parse_shard(const std::string& text) {
  size_t slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      unsigned long index = std::stoul(text.substr(0, slash));
      unsigned long count = std::stoul(text.substr(slash + 1));
      if (index >= 1 && index <= count && count <= 100000) {
        return {static_cast<uint32_t>(index - 1), static_cast<uint32_t>(count)};
      }
    }
  } catch (const std::exception&) {
  }
  throw protocols::ScenarioError("--shard", "", "I/N with 1 <= I <= N (e.g. 2/8)",
                                 "\"" + text + "\"");
}

nlohmann::json results_document(const Scenario& scenario, sim::explore::SeedRange range,
                                sim::explore::Shard shard, const std::vector<SeedResult>& results) {
  nlohmann::json runs = nlohmann::json::array();
  std::map<std::string, uint64_t> counts;  // ordered: the document must not depend on hashing
  uint64_t ok = 0;
  for (const SeedResult& r : results) {
    nlohmann::json run = {{"seed", r.seed}, {"events", r.events}};
    if (!r.error.empty()) {
      run["error"] = r.error;
      ++counts["error"];
    } else if (r.violated.empty()) {
      ++ok;
    } else {
      // Every checker that fired counts the seed, as `run --check-expect` judges any of them.
      run["violations"] = r.violated;
      for (const std::string& checker : r.violated) ++counts[checker];
    }
    runs.push_back(run);
  }
  return {{"scenario", scenario.file},
          {"seeds", {{"first", range.first}, {"last", range.last}}},
          {"shard", {{"index", shard.index + 1}, {"count", shard.count}}},
          {"ok", ok},
          {"violations", counts},
          {"runs", runs}};
}

void print_counts(const nlohmann::json& doc) {
  std::cout << "  ok: " << doc["ok"].get<uint64_t>() << "\n";
  for (auto it = doc["violations"].begin(); it != doc["violations"].end(); ++it) {
    std::cout << "  " << it.key() << ": " << it.value().get<uint64_t>() << "\n";
  }
}

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

int explore(const ExploreFlags& flags) {
  Scenario scenario = load_scenario(flags.file, flags.set);
  sim::explore::SeedRange range = parse_seeds(flags.seeds);
  sim::explore::Shard shard = parse_shard(flags.shard);
  std::vector<uint64_t> seeds = sim::explore::shard_seeds(range, shard);
  // The first seed runs alone: a scenario error surfaces once, as an error, not per seed.
  run_scenario(scenario, RunOptions{.seed = seeds.empty() ? range.first : seeds.front()});

  std::cout << "faultline explore: " << scenario.name << ", seeds " << range.first << ".."
            << range.last << " (shard " << shard.index + 1 << "/" << shard.count
            << "): " << seeds.size() << " runs on " << flags.jobs << " threads\n";
  auto started = std::chrono::steady_clock::now();  // for the rate printed, never for the runs
  std::vector<SeedResult> results = explore_seeds(scenario, seeds, flags.jobs);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  nlohmann::json doc = results_document(scenario, range, shard, results);
  print_counts(doc);
  uint64_t events = 0;
  for (const SeedResult& r : results) events += r.events;
  std::cout << "  " << wall << " s wall, "
            << static_cast<uint64_t>(seeds.size() / std::max(wall, 1e-9)) << " seeds/s, "
            << static_cast<uint64_t>(events / std::max(wall, 1e-9)) << " events/s\n";

  std::string dir = flags.out.empty()
                        ? "faultline-out/" + scenario.name + "/explore-" +
                              std::to_string(range.first) + "-" + std::to_string(range.last) +
                              "-shard-" + std::to_string(shard.index + 1) + "-of-" +
                              std::to_string(shard.count)
                        : flags.out;
  make_directories(dir);
  write_file_atomically(dir + "/results.json", doc.dump(2) + "\n");
  std::cout << "  results  " << dir << "/results.json\n";

  for (const SeedResult& r : results) {
    if (!r.error.empty()) {
      std::cout << "  seed " << r.seed << ": internal error: " << r.error << "\n";
      return kExitInternal;
    }
  }
  const SeedResult* first_failure = run::first_failure(results);
  if (first_failure && flags.shrink) shrink_failure(scenario, flags, *first_failure, dir);
  if (first_failure) {
    std::cout << "reproduce: faultline run " << scenario.file << " --seed " << first_failure->seed;
    for (const std::string& o : flags.set) std::cout << " --set '" << o << "'";
    std::cout << "\nminimal fault timeline: faultline shrink " << scenario.file << " --seed "
              << first_failure->seed;
    for (const std::string& o : flags.set) std::cout << " --set '" << o << "'";
    std::cout << "\n";
  }
  if (flags.check_expect && scenario.expect) {
    // ok: every seed must pass. A violation: the bug must be found within this seed budget.
    bool met = scenario.expect->ok ? first_failure == nullptr
                                   : doc["violations"].contains(scenario.expect->violation);
    std::cout << "  expected: "
              << (scenario.expect->ok ? "ok on every seed"
                                      : scenario.expect->violation + " on some seed")
              << (met ? " (as expected)" : " (NOT MET)") << "\n";
    return met ? kExitOk : kExitViolation;
  }
  return first_failure ? kExitViolation : kExitOk;
}

int merge(const std::vector<std::string>& files, const std::string& out) {
  nlohmann::json merged = {{"ok", 0},
                           {"violations", nlohmann::json::object()},
                           {"runs", nlohmann::json::array()},
                           {"shards", nlohmann::json::array()}};
  for (const std::string& file : files) {
    std::ifstream in(file);
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (!in || doc.is_discarded() || !doc.is_object() || !doc.contains("runs") ||
        !doc["runs"].is_array() || !doc.contains("ok") || !doc.contains("violations")) {
      throw protocols::ScenarioError(file, "", "a results.json written by faultline explore",
                                     "something else");
    }
    if (merged.contains("scenario") && merged["scenario"] != doc["scenario"]) {
      throw protocols::ScenarioError(file, "scenario", "the same scenario as the other shards",
                                     doc["scenario"].dump());
    }
    merged["scenario"] = doc["scenario"];
    merged["ok"] = merged["ok"].get<uint64_t>() + doc["ok"].get<uint64_t>();
    for (auto it = doc["violations"].begin(); it != doc["violations"].end(); ++it) {
      merged["violations"][it.key()] =
          merged["violations"].value(it.key(), uint64_t(0)) + it.value().get<uint64_t>();
    }
    for (const auto& run : doc["runs"]) merged["runs"].push_back(run);
    merged["shards"].push_back(doc.value("shard", nlohmann::json()));
  }
  std::sort(merged["runs"].begin(), merged["runs"].end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a["seed"] < b["seed"]; });
  std::cout << "faultline merge: " << files.size() << " shards, " << merged["runs"].size()
            << " runs\n";
  print_counts(merged);
  if (!out.empty()) write_file_atomically(out, merged.dump(2) + "\n");
  return merged["violations"].empty() ? kExitOk : kExitViolation;
}

}  // namespace

void add_explore_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ExploreFlags>();
  CLI::App* cmd = app.add_subcommand("explore", "Run many seeds of a scenario; shrink a failure");
  cmd->add_option("scenario", flags->file, "Scenario file (JSON)")->required();
  cmd->add_option("--seeds", flags->seeds, "A seed or a range FIRST..LAST (default 1..100)");
  cmd->add_option("--shard", flags->shard, "Run shard I of N of the seeds (every N-th seed)");
  cmd->add_option("--jobs,-j", flags->jobs, "Worlds run in parallel, one per thread")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--set", flags->set, "Override a scenario field (repeatable)");
  cmd->add_option("--out", flags->out, "Directory for results.json and the shrunk run");
  cmd->add_flag("--shrink", flags->shrink, "Shrink the first failing seed's choice tape");
  cmd->add_option("--shrink-budget", flags->shrink_budget,
                  "Replays allowed to each shrink, tape and fault timeline (default 2000)");
  cmd->add_flag(
      "--check-expect", flags->check_expect,
      "Exit 0 when the seeds show what `expect` says (ok: every seed; a violation: some)");
  cmd->callback([flags, &exit_code] { exit_code = explore(*flags); });
}

void add_merge_command(CLI::App& app, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge the results.json of several explore shards");
  cmd->add_option("results", *files, "results.json files")->required();
  cmd->add_option("--out", *out, "Write the merged results here");
  cmd->callback([files, out, &exit_code] { exit_code = merge(*files, *out); });
}

}  // namespace faultline::cli
