#pragma once
// The commands the docs show, read from the Markdown as DEVELOPERS.md ("Commands in the docs are
// tests") describes: every `faultline ...` line of a ```sh block is run by the suite, with the exit
// code its `# exit N` comment states (0 without one), and the ```text block right after the sh
// block lists lines the block's last command must print, in order, `…` standing for any text.

#include <string>
#include <vector>

namespace faultline::testing {

struct ExpectedLine {
  int line = 0;      // in the Markdown file, 1-based
  std::string text;  // trimmed; `…` matches any run of characters
};

struct DocCommand {
  int line = 0;
  std::string command;      // as a user types it (the annotation comment removed)
  int exit_code = 0;        // `# exit N`
  std::string suite_flags;  // `# suite: --seeds 1..200`: what the suite runs instead
  std::vector<ExpectedLine> output;
};

// One ```sh block: its commands run in order in one fresh directory.
struct DocBlock {
  std::string file;
  int line = 0;  // of the opening fence
  std::vector<DocCommand> commands;
};

// Parses Markdown text. Throws std::runtime_error, naming the file and line, on an annotation it
// cannot read or an output block that follows no command.
std::vector<DocBlock> parse_doc_commands(const std::string& file, const std::string& markdown);

// `command` with each `--flag value` of `suite_flags` replacing the same flag's value.
std::string command_for_suite(const DocCommand& command);

// Whether `expected` (with `…` wildcards) occurs within `line`.
bool line_matches(const std::string& line, const std::string& expected);

// The first expected line not found in `output`, in order (each after the previous match's
// line); nullptr when all are found.
const ExpectedLine* first_missing_line(const std::string& output,
                                       const std::vector<ExpectedLine>& expected);

}  // namespace faultline::testing
