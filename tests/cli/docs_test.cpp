// The docs are the source of truth for what the commands print: every `faultline ...` line of a
// ```sh block in README.md and docs/*.md runs here as a subprocess of the built binary, and must
// exit and print as the doc says (the convention is in DEVELOPERS.md, the parser in
// doc_commands.hpp). A failure names the doc's file and line, so a stale quote is one edit away.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "tests/cli/doc_commands.hpp"
#include "tests/command.hpp"

namespace faultline::testing {
namespace {

namespace fs = std::filesystem;

// README.md and docs/*.md, relative to the source tree, in a fixed order.
std::vector<std::string> documentation_files() {
  std::vector<std::string> files = {"README.md"};
  for (const auto& entry : fs::directory_iterator(source_dir() + "/docs")) {
    if (entry.path().extension() == ".md")
      files.push_back("docs/" + entry.path().filename().string());
  }
  std::sort(files.begin() + 1, files.end());
  return files;
}

std::vector<DocBlock> documented_blocks() {
  std::vector<DocBlock> blocks;
  for (const std::string& file : documentation_files()) {
    for (DocBlock& block : parse_doc_commands(file, read_text(source_dir() + "/" + file)))
      blocks.push_back(std::move(block));
  }
  return blocks;
}

std::string indented(const std::string& text) {
  std::string out = "    ";
  for (char c : text) out += c == '\n' ? std::string("\n    ") : std::string(1, c);
  return out;
}

// Runs one block's commands in order in a fresh directory where `scenarios/` is the catalog, as
// from the root of the repository; returns one message per disagreement with the doc.
std::vector<std::string> run_block(const DocBlock& block) {
  TempDir dir;
  fs::create_directory_symlink(source_dir() + "/scenarios", dir / "scenarios");
  std::vector<std::string> failures;
  for (const DocCommand& command : block.commands) {
    const std::string where = block.file + ":" + std::to_string(command.line);
    const std::string run = command_for_suite(command);
    const CommandResult result = run_shell(run, dir.path());
    const std::string output = result.out + result.err;
    const std::string ran = run == command.command ? "" : " (run as `" + run + "`)";
    if (result.exit_code != command.exit_code) {
      failures.push_back(where + ": `" + command.command + "`" + ran + " exited " +
                         std::to_string(result.exit_code) + ", the doc says " +
                         std::to_string(command.exit_code) + "; it printed:\n" + indented(output));
    }
    // Fewer seeds than the doc's print other counts: only the exit code holds for them.
    if (!command.suite_flags.empty()) continue;
    if (const ExpectedLine* missing = first_missing_line(output, command.output)) {
      failures.push_back(block.file + ":" + std::to_string(missing->line) + ": `" + missing->text +
                         "` is not in the output of `" + command.command + "` (line " +
                         std::to_string(command.line) + "), in this order; it printed:\n" +
                         indented(output));
    }
  }
  return failures;
}

}  // namespace

TEST_CASE("every faultline command in README.md and docs/*.md exits and prints as documented") {
  const std::vector<DocBlock> blocks = documented_blocks();
  size_t commands = 0;
  for (const DocBlock& block : blocks) commands += block.commands.size();
  // The catalog alone documents one command per scenario; fewer means the parser lost some.
  REQUIRE(commands >= 80);

  // Two blocks at a time: each command is a process of its own, and the suite's budget is minutes.
  std::vector<std::vector<std::string>> failures(blocks.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t b; (b = next++) < blocks.size();) failures[b] = run_block(blocks[b]);
  };
  std::future<void> other = std::async(std::launch::async, worker);
  worker();
  other.get();
  for (const auto& messages : failures) {
    for (const std::string& message : messages) FAIL_CHECK(message);
  }
}

TEST_CASE("every catalog scenario has its command in docs/catalog.md") {
  std::string commands;
  for (const DocBlock& block :
       parse_doc_commands("docs/catalog.md", read_text(source_dir() + "/docs/catalog.md"))) {
    for (const DocCommand& command : block.commands) commands += command.command + "\n";
  }
  for (const auto& entry : fs::recursive_directory_iterator(source_dir() + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    const std::string file = fs::relative(entry.path(), source_dir()).string();
    const bool documented = commands.find(file + "\n") != std::string::npos ||
                            commands.find(file + " ") != std::string::npos;
    CHECK_MESSAGE(documented, file << " has no `faultline` command in docs/catalog.md");
  }
}

TEST_CASE("the docs' command convention: commands, exit codes, suite flags and output lines") {
  const std::string markdown =
      "Text.\n"
      "```sh\n"
      "./dev demo\n"
      "faultline run a.json\n"
      "faultline explore b.json --seeds 1..1000 --jobs 2   # exit 1; suite: --seeds 1..20\n"
      "```\n"
      "\n"
      "```text\n"
      "  ok: 1000\n"
      "\n"
      "reproduce: faultline run b.json --seed …\n"
      "```\n"
      "```sh\n"
      "faultline run c.json --set 'x=\"# not a comment\"' # exit 2\n"
      "```\n"
      "Prose between a block and its output breaks the link.\n"
      "```json\n"
      "{\"faultline run\": 1}\n"
      "```\n";
  const std::vector<DocBlock> blocks = parse_doc_commands("x.md", markdown);
  REQUIRE(blocks.size() == 2);
  REQUIRE(blocks[0].commands.size() == 2);
  const DocCommand& run = blocks[0].commands[0];
  CHECK(run.line == 4);
  CHECK(run.command == "faultline run a.json");
  CHECK(run.exit_code == 0);
  CHECK(run.output.empty());
  const DocCommand& explore = blocks[0].commands[1];
  CHECK(explore.exit_code == 1);
  CHECK(explore.command == "faultline explore b.json --seeds 1..1000 --jobs 2");
  CHECK(command_for_suite(explore) == "faultline explore b.json --seeds 1..20 --jobs 2");
  REQUIRE(explore.output.size() == 2);
  CHECK(explore.output[0].line == 9);
  CHECK(explore.output[1].text == "reproduce: faultline run b.json --seed …");
  CHECK(blocks[1].commands[0].command == "faultline run c.json --set 'x=\"# not a comment\"'");
  CHECK(blocks[1].commands[0].exit_code == 2);

  CHECK_THROWS_WITH_AS(parse_doc_commands("y.md", "```sh\nls\n```\n```text\nout\n```\n"),
                       "y.md:4: an output block (```text) right after no ```sh block's command",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(parse_doc_commands("z.md", "```sh\nfaultline run a.json # exit one\n```\n"),
                       "z.md:2: `# exit N` needs a number, got `exit one`", std::runtime_error);
}

TEST_CASE("an expected output line matches in order, an ellipsis standing for any text") {
  CHECK(line_matches("  VIOLATION fenced-mutual-exclusion at 15.051537347s",
                     "VIOLATION fenced-mutual-exclusion at 15.05…s"));
  CHECK_FALSE(line_matches("  VIOLATION mutual-exclusion at 15.051537347s",
                           "VIOLATION fenced-mutual-exclusion at 15.05…s"));
  CHECK(line_matches("trace hash 1c5e303339da2d6f", "trace hash …"));
  CHECK_FALSE(line_matches("abc", "b…a"));
  const std::vector<ExpectedLine> expected = {{1, "first"}, {2, "second"}};
  CHECK(first_missing_line("x first\ny second\n", expected) == nullptr);
  const ExpectedLine* missing = first_missing_line("y second\nx first\n", expected);
  REQUIRE(missing != nullptr);
  CHECK(missing->line == 2);
}

}  // namespace faultline::testing
