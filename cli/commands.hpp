#pragma once
// The subcommands of `faultline`. Each registers itself on the app and, when it runs, stores the
// process exit code: 0 no violation, 1 violation found, 2 bad input or usage, 3 internal error.

#include <CLI/CLI.hpp>

namespace faultline::cli {

constexpr int kExitOk = 0;
constexpr int kExitViolation = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;
constexpr int kExitUnknown = 4;  // a checker could not decide (a time or memory bound ran out)

void add_run_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);
void add_list_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_explore_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);
void add_shrink_command(CLI::App& app, int& exit_code);
void add_audit_command(CLI::App& app, int& exit_code);

}  // namespace faultline::cli
