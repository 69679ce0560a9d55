// `faultline run FILE` and `faultline replay TAPE`: one scenario, one world, a verdict.
#include <iostream>
#include <memory>

#include "base/format_ns.hpp"
#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/run_command.hpp"
#include "protocols/params.hpp"
#include "reports/story.hpp"
#include "run/json_input.hpp"
#include "run/output_file.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/tape_file.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

std::string default_out_dir(const Scenario& scenario, uint64_t seed) {
  return "faultline-out/" + scenario.name + "/seed-" + std::to_string(seed);
}

void print_outcome(const Scenario& scenario, const RunOutcome& outcome, const RunFiles& files,
                   const std::string& reproduce) {
  std::cout << "faultline: " << scenario.name << " (" << scenario.protocol << "/" << outcome.variant
            << "), seed " << outcome.seed << "\n";
  std::cout << "  simulated " << format_ns(outcome.simulated_ns) << ": " << outcome.stats.events
            << " events, " << outcome.stats.messages_sent << " messages ("
            << outcome.stats.messages_dropped << " dropped), " << outcome.stats.faults
            << " faults\n";
  for (const std::string& entry : outcome.unfired_triggers)
    std::cout << "  note: " << entry << " never fired: no event matched its `when`\n";
  if (outcome.violations.empty() && !outcome.undecided.empty()) {
    std::cout << "  verdict: unknown (";
    for (size_t i = 0; i < outcome.undecided.size(); ++i)
      std::cout << (i ? "; " : "") << outcome.undecided[i].checker << ": "
                << outcome.undecided[i].reason;
    std::cout << ")\n";
  } else if (outcome.violations.empty()) {
    std::cout << "  verdict: ok (checked: ";
    for (size_t i = 0; i < outcome.checkers.size(); ++i)
      std::cout << (i ? ", " : "") << outcome.checkers[i];
    std::cout << ")\n";
  }
  for (const Finding& v : outcome.violations) {
    std::cout << "  VIOLATION " << v.checker << " at " << format_ns(v.at_ns) << "\n";
    std::cout << "    " << v.message << "\n";
    if (!v.explanation.empty()) std::cout << "    " << v.explanation << "\n";
  }
  // The few steps that led there, from the trace kept for the diagram (none with --no-diagram).
  if (!outcome.story.steps.empty())
    std::cout << "  story:\n" << reports::story_text(outcome.story, "    ");
  // States the run should reach (sim/sometimes.hpp): a pass that never reached them says little.
  for (const ReachedProperty& p : outcome.sometimes) {
    std::cout << "  sometimes \"" << p.name << "\": ";
    if (p.reached)
      std::cout << "reached at " << format_ns(p.at_ns) << " (event " << p.event << ")\n";
    else
      std::cout << "NEVER reached\n";
  }
  if (scenario.expect) {
    std::string wanted = scenario.expect->ok ? "ok" : "violation " + scenario.expect->violation;
    std::cout << "  expected: " << wanted
              << (outcome.expectation_met ? " (as expected)" : " (NOT MET)") << "\n";
  }
  std::cout << "  trace    " << files.trace << " (" << outcome.trace_events << " records)\n";
  // Without a diagram nothing is named; a diagram Graphviz could not render is its DOT text.
  if (!files.svg.empty() || !files.dot.empty())
    std::cout << "  diagram  " << (files.svg.empty() ? files.dot : files.svg) << "\n";
  std::cout << "  report   " << files.report << "\n";
  std::cout << "  summary  " << files.summary << "\n";
  if (!files.history.empty()) {
    std::cout << "  history  " << files.history << " (faultline check --model "
              << outcome.history_model << ")\n";
  }
  std::cout << "  trace hash " << outcome.trace_hash << "\n";
  if (!outcome.violations.empty()) std::cout << "reproduce: " << reproduce << "\n";
}

}  // namespace

int run_and_report(const Scenario& scenario, const RunFlags& flags,
                   std::optional<sim::ChoiceTape> replay, const std::string& expected_hash) {
  RunOptions options;
  options.seed = flags.seed;
  options.replay = std::move(replay);
  options.record_tape = true;
  options.untimed_steps = flags.untimed_steps;
  options.timed_steps = flags.timed_steps;
  uint64_t seed = flags.seed.value_or(scenario.seed);
  require_utf8(flags.out, flags.out, "--out");  // the summary names it
  RunFiles files(flags.out.empty() ? default_out_dir(scenario, seed) : flags.out,
                 !flags.no_diagram);
  files.diagram_events = flags.diagram_events;
  files.step_events = flags.step_events;
  make_directories(files.dir);
  files.require_replaceable();  // before the run: every output written, or none
  RunOutcome outcome = run_with_outputs(scenario, options, flags.set, files);

  const std::string reproduce = reproduce_command(scenario, flags.set, outcome.seed);
  if (flags.json) {
    std::cout << run_summary(scenario, outcome, reproduce, &files).dump(2) << "\n";
  } else {
    print_outcome(scenario, outcome, files, reproduce);
  }
  if (!expected_hash.empty()) {
    bool same = expected_hash == outcome.trace_hash;
    std::cout << (same ? "replay: identical trace (hash " + expected_hash + ")\n"
                       : "replay: DIFFERENT trace: recorded " + expected_hash + ", replayed " +
                             outcome.trace_hash + "\n");
    if (!same) return kExitInternal;
  }
  if (flags.check_expect) return outcome.expectation_met ? kExitOk : kExitViolation;
  if (!outcome.violations.empty()) return kExitViolation;
  return outcome.undecided.empty() ? kExitOk : kExitUnknown;
}

namespace {

void add_common_flags(CLI::App* cmd, RunFlags& flags) {
  cmd->add_option("--out", flags.out, "Directory for trace, summary, diagram, report and tape");
  cmd->add_flag("--check-expect", flags.check_expect,
                "Exit 0 when the run shows what the scenario's `expect` says, 1 when not");
  cmd->add_flag("--no-diagram", flags.no_diagram, "Skip the diagram and keep no trace in memory");
  cmd->add_option("--diagram-events", flags.diagram_events,
                  "Rows of a violation's causal slice the diagram draws, the most recent (default "
                  "60; 0: all)")
      ->check(non_negative_integer());
  cmd->add_option("--step-events", flags.step_events,
                  "Recent events the report's step-through carries besides the causal slice and "
                  "the story (default 2000; 0: all)")
      ->check(non_negative_integer());
  cmd->add_flag("--json", flags.json, "Print the run summary as JSON instead of text");
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "Run one scenario and judge it");
  cmd->add_option("scenario", flags->file, "Scenario file (JSON)")->required();
  cmd->add_option("--seed", flags->seed, "Seed for every random draw (default: the scenario's)")
      ->check(non_negative_integer());
  cmd->add_option("--set", flags->set,
                  "Override a scenario field: --set params.ttl=5s (repeatable)");
  add_common_flags(cmd, *flags);
  cmd->callback([flags, &exit_code] {
    Scenario scenario = load_scenario(flags->file, flags->set);
    if (scenario.search) {
      throw protocols::ScenarioError(scenario.file, "search",
                                     "a scenario that runs in time (this one is searched: "
                                     "faultline explore " +
                                         scenario.file + ")",
                                     "a search");
    }
    exit_code = run_and_report(scenario, *flags, std::nullopt, "");
  });
}

void add_replay_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("replay", "Re-run a recorded choice tape (tape.json) exactly");
  cmd->add_option("tape", flags->file, "A tape.json written by run")->required();
  add_common_flags(cmd, *flags);
  cmd->callback([flags, &exit_code] {
    TapeFile tape = read_tape(flags->file);
    RunFlags run = *flags;
    if (run.out.empty()) {
      // Beside the tape, so the original run's files are not overwritten.
      std::string dir = flags->file.substr(0, flags->file.find_last_of('/') + 1);
      run.out = dir + "replay";
    }
    run.set = tape.set;
    run.seed = tape.seed;
    run.untimed_steps = tape.untimed_steps;
    run.timed_steps = tape.timed_steps;
    Scenario scenario = load_scenario(tape.scenario, run.set);
    exit_code = run_and_report(scenario, run, std::move(tape.choices), tape.trace_hash);
  });
}

}  // namespace faultline::cli
