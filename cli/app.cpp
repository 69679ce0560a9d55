// faultline's command line as a function, so that a user's test binary that registers its own
// protocols (run::register_protocol) gets every subcommand the faultline executable has.
#include "cli/app.hpp"

#include <algorithm>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "checkers/input_error.hpp"
#include "cli/commands.hpp"
#include "protocols/params.hpp"
#include "reports/trace_jsonl.hpp"
#include "run/temporary_files.hpp"

namespace {

// A usage error as one line: CLI11's own printing adds a second ("Run with --help ...").
int usage_error(const std::string& message) {
  std::string line = message;
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::cerr << "faultline: " << line << " (see faultline --help)\n";
  return faultline::cli::kExitBadInput;
}

// `faultline frobnicate`: CLI11 would only say that a subcommand is required.
bool is_unknown_subcommand(const CLI::App& app, int argc, char** argv, std::string& known) {
  if (argc < 2 || argv[1][0] == '-') return false;
  bool found = false;
  for (const CLI::App* sub : app.get_subcommands({})) {
    known += (known.empty() ? "" : ", ") + sub->get_name();
    found = found || sub->get_name() == argv[1];
  }
  return !found;
}

}  // namespace

namespace faultline {

int main(int argc, char** argv) {
  using namespace faultline::cli;
  CLI::App app{"faultline: deterministic simulation and checking of distributed protocols"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "faultline " FAULTLINE_PROJECT_VERSION);
  app.option_defaults()->always_capture_default();
  app.footer(
      "Exit codes: 0 no violation, 1 violation found, 2 bad input or usage, 3 internal error,\n"
      "4 a check that could not decide (a time or memory limit ran out).");
  int exit_code = kExitOk;
  add_run_command(app, exit_code);
  add_replay_command(app, exit_code);
  add_list_command(app, exit_code);
  add_check_command(app, exit_code);
  add_explore_command(app, exit_code);
  add_merge_command(app, exit_code);
  add_shrink_command(app, exit_code);
  add_audit_command(app, exit_code);
  run::remove_temporaries_on_signal();
  std::string known;
  if (is_unknown_subcommand(app, argc, argv, known)) {
    return usage_error("unknown subcommand \"" + std::string(argv[1]) + "\" (expected one of " +
                       known + ")");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  } catch (const protocols::ScenarioError& e) {
    std::cerr << "faultline: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const checkers::InputError& e) {
    std::cerr << "faultline: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const reports::TraceFormatError& e) {
    std::cerr << "faultline: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "faultline: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return exit_code;
}

}  // namespace faultline
