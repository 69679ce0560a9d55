// faultline: deterministic simulation and checking of distributed protocols.
#include <iostream>

#include <CLI/CLI.hpp>

#include "checkers/input_error.hpp"
#include "cli/commands.hpp"
#include "protocols/params.hpp"
#include "reports/trace_jsonl.hpp"

int main(int argc, char** argv) {
  using namespace faultline::cli;
  CLI::App app{"faultline: deterministic simulation and checking of distributed protocols"};
  app.require_subcommand(1);
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
  } catch (const faultline::protocols::ScenarioError& e) {
    std::cerr << "faultline: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const faultline::checkers::InputError& e) {
    std::cerr << "faultline: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const faultline::reports::TraceFormatError& e) {
    std::cerr << "faultline: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "faultline: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return exit_code;
}
