#pragma once
// For tests of the `faultline` executable as a user runs it: the built binary as a subprocess,
// with its exit code, standard output and standard error. Library-level tests alone let a command
// break (a flag wired wrong, an exception that escapes as exit 3), so every command the docs show
// is run this way. A command inherits the suite's environment, less GitHub Actions' variables
// (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY), which change what explore and merge print: a test that
// wants them sets them in a run_shell command.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string out;     // standard output
  std::string err;     // standard error
};

// Runs the built `faultline` with `args` (no shell: each argument is passed as it is) in `cwd`
// (default: the source tree, where the docs' relative paths resolve), with `stdin_text` on its
// standard input.
CommandResult run_faultline(const std::vector<std::string>& args, const std::string& cwd = "",
                            const std::string& stdin_text = "");

// Runs `command` through /bin/sh in `cwd` (default: the source tree), with the built binary's
// folder first on PATH so that a documented `faultline ...` line runs as written.
CommandResult run_shell(const std::string& command, const std::string& cwd = "");

// The whole text of a file ("" when it cannot be read): for tests that check docs and build files.
std::string read_text(const std::string& path);

// A JSON file the command wrote, parsed (throws when it is missing or malformed).
nlohmann::json read_json(const std::string& path);

// The path of the built binary (FAULTLINE_BINARY) and of the source tree (FAULTLINE_SOURCE_DIR).
std::string faultline_binary();
std::string source_dir();

// A fresh empty directory under the system's temporary directory, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace faultline::testing
