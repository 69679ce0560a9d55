#pragma once
// `faultline check`: the linearizability verdict on a recorded history (docs/check.md).

#include <CLI/CLI.hpp>

namespace faultline::cli {

// Exit code of `check` when a time or memory limit ran out before a verdict: neither "no
// violation" (0) nor "violation" (1), so that scripts cannot mistake it for either.
constexpr int kExitInconclusive = 4;

void add_check_command(CLI::App& app, int& exit_code);

}  // namespace faultline::cli
