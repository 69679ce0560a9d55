#pragma once
// `faultline check`: the linearizability verdict on a recorded history (docs/check.md).

#include <CLI/CLI.hpp>

namespace faultline::cli {

void add_check_command(CLI::App& app, int& exit_code);

}  // namespace faultline::cli
