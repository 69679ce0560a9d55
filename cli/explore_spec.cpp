#include "cli/explore_spec.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/search_counts.hpp"
#include "protocols/params.hpp"
#include "run/json_input.hpp"
#include "run/output_file.hpp"
#include "spec/state_store.hpp"

namespace faultline::cli {
namespace {

// What the bound that cut a search was, for the line that says so.
std::string bound_reached(const spec::SearchOptions& search, const spec::SearchResult& result) {
  if (result.cut_by == "max-depth") return std::to_string(search.max_depth) + " states deep";
  if (result.cut_by == "max-states") return grouped(search.max_states) + " states";
  return grouped(search.max_memory >> 20) + " MiB of store: --max-memory raises it";
}

void print_result(const run::SpecScenario& scenario, const spec::Model& model,
                  const spec::SearchResult& result, const nlohmann::json& summary, double wall,
                  const std::string& file) {
  std::cout << "  " << state_counts(result.distinct_states, result.generated_states, result.depth)
            << ": ";
  if (result.exhausted) {
    std::cout << "exhausted (every reachable state checked)\n";
  } else if (result.cut_by == "violation") {
    std::cout << "stopped at the first violation\n";
  } else {
    std::cout << "NOT exhausted: cut by " << result.cut_by << " ("
              << bound_reached(scenario.search, result) << ")\n";
  }
  // The store's first blocks dominate a small search: bytes per state mean something at scale.
  std::cout << "  " << wall_and_rate(wall, result.generated_states) << ", store "
            << (result.store_bytes + (1 << 19)) / (1 << 20) << " MB";
  if (result.distinct_states >= 1'000'000) {
    std::cout << " (" << result.store_bytes / result.distinct_states << " bytes per state)";
  }
  std::cout << "\n";
  if (const std::string shard = shard_words(summary["shard"]); !shard.empty()) {
    std::cout << "  " << shard << "\n";
  }
  print_sometimes(summary["sometimes"], result.exhausted, result.violation.has_value());
  std::string never;
  for (const auto& family : summary["never_fired"]) {
    never += (never.empty() ? "" : ", ") + family.get<std::string>();
  }
  std::cout << "  actions never enabled: " << (never.empty() ? "none" : never) << "\n";
  if (result.violation) {
    std::cout << "  VIOLATION " << result.violation->invariant << " in "
              << result.violation->path.size() << " states:\n";
    for (size_t i = 0; i < result.violation->path.size(); ++i) {
      const spec::PathStep& step = result.violation->path[i];
      std::cout << "    " << i + 1 << ". " << step.action << ": " << step.state.dump() << "\n";
    }
  } else {
    std::cout << "  no violation of " << model.invariant_names().size() << " invariant"
              << (model.invariant_names().size() == 1 ? "" : "s") << "\n";
  }
  std::cout << "  results  " << file << "\n";
}

}  // namespace

int explore_spec(run::SpecScenario scenario, const SpecExploreFlags& flags) {
  if (!flags.strategy.empty()) {
    std::optional<spec::SearchOrder> order = run::search_order(flags.strategy);
    if (!order) {
      throw protocols::ScenarioError("--strategy", "",
                                     "bfs or dfs for a spec-level model (" + scenario.file + ")",
                                     "\"" + flags.strategy + "\"");
    }
    scenario.search.order = *order;
  }
  if (flags.max_depth) {
    if (*flags.max_depth > UINT32_MAX) {
      throw protocols::ScenarioError("--max-depth", "", "at most 4294967295 states deep",
                                     std::to_string(*flags.max_depth));
    }
    scenario.search.max_depth = *flags.max_depth;
  }
  if (flags.max_states) {
    if (*flags.max_states > spec::StateStore::kMaxStates) {
      throw protocols::ScenarioError(
          "--max-states", "",
          "at most " + std::to_string(spec::StateStore::kMaxStates) + " states (the store's limit)",
          std::to_string(*flags.max_states));
    }
    scenario.search.max_states = *flags.max_states;
  }
  if (flags.symmetry) scenario.search.symmetry = true;
  scenario.search.shard = flags.shard;
  scenario.search.max_memory = default_max_memory();
  if (flags.max_memory == "none") {
    scenario.search.max_memory = 0;
  } else if (!flags.max_memory.empty()) {
    std::optional<std::size_t> bytes = parse_bytes(flags.max_memory);
    if (!bytes) {
      throw protocols::ScenarioError("--max-memory", "",
                                     "a positive size like 2GiB or 512MiB, or none",
                                     "\"" + flags.max_memory + "\"");
    }
    scenario.search.max_memory = *bytes;
  }
  std::unique_ptr<spec::Model> model = run::build_model(scenario);

  run::require_utf8(flags.out, flags.out, "--out");
  const std::string dir =
      flags.out.empty() ? "faultline-out/" + scenario.name + "/" + search_dir_name(flags.shard)
                        : flags.out;
  run::make_directories(dir);
  const std::string file = dir + "/search.json";
  run::require_replaceable(file);

  const char* strategy = scenario.search.order == spec::SearchOrder::breadth_first ? "bfs" : "dfs";
  if (!flags.json) {
    std::cout << "faultline explore: " << scenario.name << " (spec " << scenario.spec << "/"
              << scenario.variant << "), strategy " << strategy
              << (scenario.search.symmetry ? ", symmetry" : "");
    if (flags.shard.sharded()) {
      std::cout << ", shard " << flags.shard.index + 1 << "/" << flags.shard.count;
    }
    std::cout << "\n";
  }
  // A progress line on a terminal only: logs and tests stay clean.
  const bool progress = !flags.json && isatty(STDERR_FILENO);
  if (progress) scenario.search.progress = draw_search_progress;
  const auto started = std::chrono::steady_clock::now();  // for the rate printed only
  spec::SearchResult result = spec::search(*model, scenario.search);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress) clear_search_progress();

  nlohmann::json summary = spec::to_json(*model, scenario.search, result);
  summary["scenario"] = scenario.file;
  summary["variant"] = scenario.variant;
  summary["params"] = scenario.params;
  run::write_file_atomically(file, summary.dump(2) + "\n");
  if (flags.json) {
    summary["seconds"] = wall;
    std::cout << summary.dump(2) << "\n";
  } else {
    print_result(scenario, *model, result, summary, wall, file);
  }

  const bool violated = result.violation.has_value();
  // A bound the user set cuts a bounded search, which is what was asked; the memory bound is a
  // safety net, and a search it cut could not decide.
  const bool undecided = !violated && result.cut_by == "max-memory";
  if (undecided) {
    if (!flags.json) std::cout << "  verdict: unknown (memory limit)\n";
    return kExitUnknown;
  }
  if (flags.check_expect && scenario.expect) {
    const bool met = scenario.expect->ok
                         ? !violated
                         : violated && result.violation->invariant == scenario.expect->violation;
    if (!flags.json) {
      std::cout << "  expected: "
                << (scenario.expect->ok ? "no violation" : scenario.expect->violation)
                << (met ? " (as expected)" : " (NOT MET)") << "\n";
    }
    return met ? kExitOk : kExitViolation;
  }
  return violated ? kExitViolation : kExitOk;
}

}  // namespace faultline::cli
