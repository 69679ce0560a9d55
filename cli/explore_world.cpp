#include "cli/explore_world.hpp"

#include <unistd.h>

#include <cmath>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/search_counts.hpp"
#include "protocols/params.hpp"
#include "run/json_input.hpp"
#include "run/output_file.hpp"
#include "run/outputs.hpp"
#include "run/pct_search.hpp"
#include "run/runner.hpp"
#include "run/timed_search.hpp"
#include "run/world_search.hpp"

namespace faultline::cli {

namespace {

std::string plural(uint64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string budget_words(const run::SearchSpec& spec) {
  const sim::FaultBudget& b = spec.budget;
  std::string out;
  const auto add = [&](uint32_t n, const char* word) {
    if (n != 0) out += (out.empty() ? "" : ", ") + plural(n, word);
  };
  add(b.crashes, "crash");
  add(b.partitions, "partition");
  add(b.drops, "drop");
  add(b.duplicates, "duplicate");
  if (spec.timed) {
    add(spec.timed_budget.pause_count, "pause");
    add(spec.timed_budget.jump_count, "clock jump");
    add(spec.timed_budget.drift_count, "drift");
  }
  if (out.empty()) out = "no faults";
  if (!spec.targets.empty()) {
    std::string names;
    for (const run::NameRef& t : spec.targets) names += (names.empty() ? "" : ", ") + t.name;
    out += " (of " + names + ")";
  }
  if (!spec.node_timers.empty()) {
    std::string limits;
    for (const auto& [ref, limit] : spec.node_timers)
      limits += (limits.empty() ? "" : ", ") + ref.name + " " + std::to_string(limit);
    out += "; timers " + limits + ", none elsewhere";
  } else if (b.timers != sim::FaultBudget::kUnbounded) {
    out += "; timers " + std::to_string(b.timers) + " per node";
  }
  if (!b.node_states) out += "; fingerprints of inputs";
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void print_violation(const run::WorldSearchFinding& v) {
  std::cout << "  VIOLATION " << v.checker << " in " << v.steps << " steps";
  if (v.shrunk_from != 0) std::cout << " (shrunk from " << v.shrunk_from << ")";
  std::cout << ": " << v.message << "\n";
  for (size_t i = 0; i < v.story.size(); ++i) {
    std::cout << "    " << i + 1 << ". " << v.story[i] << "\n";
  }
}

// What judged the states (and what was left out), then the violation or its absence.
void print_verdict(const std::vector<std::string>& checkers,
                   const std::vector<std::string>& left_out,
                   const std::optional<run::WorldSearchFinding>& violation) {
  std::cout << "  checked by " << join(checkers);
  if (!left_out.empty()) std::cout << "; left out (they judge time): " << join(left_out);
  std::cout << "\n";
  if (violation) {
    print_violation(*violation);
  } else {
    std::cout << "  no violation\n";
  }
}

nlohmann::json violation_json(const std::optional<run::WorldSearchFinding>& v) {
  if (!v) return nullptr;
  return {{"checker", v->checker},
          {"message", v->message},
          {"steps", v->steps},
          {"shrunk_from", v->shrunk_from ? nlohmann::json(v->shrunk_from) : nlohmann::json()},
          {"story", v->story}};
}

// A timed search's sets of values and budget, in milliseconds (ppm for drifts), and its horizon.
void timed_bounds(const run::Scenario& s, const sim::TimedBudget& b, nlohmann::json& bounds) {
  const auto millis = [](const std::vector<sim::Duration>& values) {
    std::vector<int64_t> out;
    for (sim::Duration d : values) out.push_back(d.ns() / 1'000'000);
    return out;
  };
  bounds["horizon_ms"] = s.duration.ns() / 1'000'000;
  bounds["latencies_ms"] = millis(b.latencies);
  bounds["pauses"] = b.pause_count;
  bounds["pauses_ms"] = millis(b.pauses);
  bounds["jumps"] = b.jump_count;
  bounds["jumps_ms"] = millis(b.jumps);
  bounds["drifts"] = b.drift_count;
  bounds["drifts_ppm"] = b.drifts_ppm;
}

nlohmann::json summary_json(const run::Scenario& s, const run::SearchSpec& spec,
                            const run::WorldSearchResult& r) {
  nlohmann::json j = {
      {"scenario", s.file},
      {"protocol", s.protocol},
      {"variant", r.variant},
      {"strategy", r.strategy},
      {"time", spec.timed ? "timed" : "untimed"},
      {"distinct_states", r.distinct_states},
      {"generated_states", r.generated_states},
      {"depth", r.depth},
      {"exhausted", r.exhausted},
      {"cut_by", r.cut_by.empty() ? nlohmann::json() : nlohmann::json(r.cut_by)},
      {"replays", r.replays},
      {"seconds", r.seconds},
      {"checkers", r.checkers},
      {"left_out", r.left_out},
      {"coverage", r.coverage},
      {"params", s.params},
      {"sometimes", spec::sometimes_json(r.sometimes)},
      {"shard", spec::shard_json(spec.shard, r.split_depth, r.split_states, r.shard_states)}};
  nlohmann::json bounds = {
      {"max_depth", spec.max_depth},    {"max_states", spec.max_states},
      {"crashes", spec.budget.crashes}, {"partitions", spec.budget.partitions},
      {"drops", spec.budget.drops},     {"duplicates", spec.budget.duplicates}};
  if (!spec.node_timers.empty()) {
    nlohmann::json limits = nlohmann::json::object();
    for (const auto& [ref, limit] : spec.node_timers) limits[ref.name] = limit;
    bounds["timers"] = limits;
  } else if (spec.budget.timers != sim::FaultBudget::kUnbounded) {
    bounds["timers"] = spec.budget.timers;
  }
  if (!spec.budget.node_states) bounds["fingerprint"] = "inputs";
  if (spec.timed) timed_bounds(s, spec.timed_budget, bounds);
  j["bounds"] = bounds;
  j["violation"] = violation_json(r.violation);
  return j;
}

void print_result(const run::WorldSearchResult& r, const run::SearchSpec& spec,
                  const nlohmann::json& summary) {
  std::cout << "  " << state_counts(r.distinct_states, r.generated_states, r.depth) << ": ";
  if (r.exhausted) {
    std::cout << "exhausted (every reachable state within the budget checked)\n";
  } else if (r.cut_by == "violation") {
    std::cout << "stopped at the first violation\n";
  } else if (r.cut_by == "max-depth") {
    std::cout << "NOT exhausted: cut by max-depth (" << spec.max_depth << " steps)\n";
  } else if (r.cut_by == "horizon") {
    std::cout << "NOT exhausted: cut by the horizon (events due after the scenario's duration)\n";
  } else {
    std::cout << "NOT exhausted: cut by " << r.cut_by << "\n";
  }
  std::cout << "  " << wall_and_rate(r.seconds, r.generated_states) << "\n";
  if (const std::string shard = shard_words(summary["shard"]); !shard.empty()) {
    std::cout << "  " << shard << "\n";
  }
  print_sometimes(summary["sometimes"], r.exhausted, r.violation.has_value());
  print_verdict(r.checkers, r.left_out, r.violation);
}

nlohmann::json pct_json(const run::Scenario& s, const run::SearchSpec& spec,
                        const run::PctOptions& options, const run::PctResult& r, double bound) {
  return {{"scenario", s.file},
          {"protocol", s.protocol},
          {"strategy", "pct"},
          {"time", "untimed"},
          {"depth", options.depth},
          {"seeds", std::to_string(options.first_seed) + ".." + std::to_string(options.last_seed)},
          {"max_steps", options.max_steps},
          {"runs", r.runs},
          {"steps", r.steps},
          {"longest_run", r.max_steps},
          {"actors", r.actors},
          {"run_bound", bound},
          {"failing_seed", r.failing_seed ? nlohmann::json(*r.failing_seed) : nlohmann::json()},
          {"seconds", r.seconds},
          {"checkers", r.checkers},
          {"left_out", r.left_out},
          {"budget",
           {{"crashes", spec.budget.crashes},
            {"partitions", spec.budget.partitions},
            {"drops", spec.budget.drops},
            {"duplicates", spec.budget.duplicates}}},
          {"sometimes", spec::sometimes_json(r.sometimes)},
          {"violation", violation_json(r.violation)}};
}

void print_pct(const run::PctOptions& options, const run::PctResult& r, double bound) {
  if (r.violation) {
    std::cout << "  found at seed " << *r.failing_seed << " (" << grouped(r.runs) << " runs, "
              << grouped(r.steps) << " steps, " << r.seconds << " s)\n";
  } else {
    std::cout << "  no violation in " << grouped(r.runs) << " runs (" << grouped(r.steps)
              << " steps, the longest " << r.max_steps << "; " << r.seconds << " s)\n";
  }
  // PCT's guarantee, for the runs' own length: 1/(n k^(d-1)) per run, independent runs.
  const double over_runs = 1.0 - std::pow(1.0 - bound, static_cast<double>(r.runs));
  std::cout << "  PCT bound: a bug of depth " << options.depth << " among " << r.actors
            << " actors in runs of " << std::max<uint64_t>(r.max_steps, 1)
            << " steps is found by each run with probability >= " << bound << ", by "
            << grouped(r.runs) << " runs with >= " << over_runs * 100 << "%\n";
  // Sampled, not exhausted: a property no run reached warns of nothing more than its line says.
  print_sometimes(spec::sometimes_json(r.sometimes), false, r.violation.has_value());
  print_verdict(r.checkers, r.left_out, r.violation);
}

}  // namespace

int explore_world(run::Scenario scenario, const WorldExploreFlags& flags) {
  run::SearchSpec spec = scenario.search.value_or(run::SearchSpec{});
  if (!scenario.faults.empty() || scenario.nemesis) {
    throw protocols::ScenarioError(scenario.file, scenario.faults.empty() ? "nemesis" : "faults",
                                   "none in a searched scenario (its `search` budget injects "
                                   "faults at every step)",
                                   "some");
  }
  if (!flags.strategy.empty()) {
    if (flags.strategy != "bfs" && flags.strategy != "dfs" && flags.strategy != "pct") {
      throw protocols::ScenarioError("--strategy", "",
                                     "random, pct, bfs or dfs for a protocol scenario",
                                     "\"" + flags.strategy + "\"");
    }
    spec.strategy = flags.strategy;
  }
  const bool pct = spec.strategy == "pct";
  if (pct && spec.timed) {
    throw protocols::ScenarioError(scenario.file, "search.strategy", "bfs or dfs in a timed search",
                                   "\"pct\"");
  }
  if (flags.max_depth) {
    if (*flags.max_depth > 1'000'000) {
      throw protocols::ScenarioError("--max-depth", "", "at most 1000000 steps",
                                     std::to_string(*flags.max_depth));
    }
    spec.max_depth = static_cast<uint32_t>(*flags.max_depth);
  }
  if (flags.max_states) spec.max_states = *flags.max_states;
  run::require_utf8(flags.out, flags.out, "--out");
  spec.shard = flags.shard;
  const std::string dir = flags.out.empty()
                              ? "faultline-out/" + scenario.name + "/" + search_dir_name(spec.shard)
                              : flags.out;
  run::make_directories(dir);
  const std::string file = dir + "/search.json";
  run::require_replaceable(file);
  // Validated before the search prints anything: an unknown protocol or variant is bad input.
  const std::string variant = run::resolve_variant(scenario, run::protocol_of(scenario));
  if (!flags.json) {
    std::cout << "faultline explore: " << scenario.name << " (" << scenario.protocol << "/"
              << variant << "), strategy " << spec.strategy;
    if (pct) std::cout << " (depth " << flags.pct_depth.value_or(spec.pct_depth) << ")";
    std::cout << (spec.timed ? ", timed" : ", untimed") << "; budget: " << budget_words(spec);
    if (spec.shard.sharded())
      std::cout << "; shard " << spec.shard.index + 1 << "/" << spec.shard.count;
    std::cout << "\n";
  }
  const bool progress = !flags.json && isatty(STDERR_FILENO);

  nlohmann::json summary;
  std::optional<run::WorldSearchFinding> violation;
  uint64_t violation_seed = scenario.seed;
  if (pct) {
    run::PctOptions options;
    options.depth = flags.pct_depth.value_or(spec.pct_depth);
    options.first_seed = flags.seeds ? flags.seeds->first : 1;
    options.last_seed = flags.seeds ? flags.seeds->second : spec.pct_runs;
    // The file's max_depth bounds a breadth-first search; a PCT run goes on to its end.
    options.max_steps = flags.max_depth ? static_cast<uint32_t>(*flags.max_depth) : 1000;
    run::PctResult result = run::pct_search(scenario, options);
    const double bound =
        run::pct_run_bound(std::max(result.actors, 1u), result.max_steps, options.depth);
    summary = pct_json(scenario, spec, options, result, bound);
    if (!flags.json) print_pct(options, result, bound);
    violation = result.violation;
    if (result.failing_seed) violation_seed = *result.failing_seed;
  } else {
    run::WorldSearchProgress on_progress;
    if (progress) {
      on_progress = [](const run::WorldSearchResult& r) {
        draw_search_progress(r.distinct_states, r.generated_states, r.depth);
      };
    }
    run::WorldSearchResult result = run::search_world(scenario, spec, scenario.seed, on_progress);
    if (progress) clear_search_progress();
    summary = summary_json(scenario, spec, result);
    if (!flags.json) print_result(result, spec, summary);
    violation = result.violation;
  }
  std::optional<run::RunFiles> counterexample;
  if (violation) {
    // The counterexample as a run: its trace, diagram, report, and a tape `replay` re-runs.
    counterexample.emplace(dir + "/counterexample", true);
    run::RunOptions options;
    options.seed = violation_seed;
    (spec.timed ? options.timed_steps : options.untimed_steps) = violation->steps;
    options.steer = violation->path;
    options.record_tape = true;
    run::run_with_outputs(scenario, options, flags.set, *counterexample);
    summary["violation"]["tape"] = counterexample->tape;
  }
  run::write_file_atomically(file, summary.dump(2) + "\n");
  if (flags.json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    if (counterexample) {
      std::cout << "  counterexample " << counterexample->dir << " (trace, diagram, report)\n";
      std::cout << "  replay: faultline replay " << counterexample->tape << "\n";
    }
    std::cout << "  results  " << file << "\n";
  }
  const bool violated = violation.has_value();
  if (flags.check_expect && scenario.expect) {
    const bool met = scenario.expect->ok
                         ? !violated
                         : violated && violation->checker == scenario.expect->violation;
    return met ? kExitOk : kExitViolation;
  }
  return violated ? kExitViolation : kExitOk;
}

}  // namespace faultline::cli
