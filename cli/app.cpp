// faultline's command line as a function, so that a user's test binary that registers its own
// protocols (run::register_protocol) gets every subcommand the faultline executable has.
#include "cli/app.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "checkers/input_error.hpp"
#include "cli/commands.hpp"
#include "protocols/params.hpp"
#include "reports/trace_jsonl.hpp"

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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // --help is success; every other usage error is exit 2.
    return code == 0 ? kExitOk : kExitBadInput;
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
