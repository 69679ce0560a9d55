#include "tests/cli/doc_commands.hpp"

#include <sstream>
#include <stdexcept>

namespace faultline::testing {
namespace {

const std::string kEllipsis = "…";

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// Where the shell comment of `line` starts (a `#` after a blank, outside quotes), or npos.
size_t comment_start(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return i;
    }
  }
  return std::string::npos;
}

[[noreturn]] void fail(const std::string& file, int line, const std::string& what) {
  throw std::runtime_error(file + ":" + std::to_string(line) + ": " + what);
}

// `# exit 1; suite: --seeds 1..200`; other text in the comment is prose for the reader.
void read_annotation(const std::string& file, int line, const std::string& comment,
                     DocCommand& command) {
  std::stringstream parts(comment);
  std::string part;
  while (std::getline(parts, part, ';')) {
    part = trim(part);
    if (starts_with(part, "exit ")) {
      const std::string code = trim(part.substr(5));
      if (code.empty() || code.find_first_not_of("0123456789") != std::string::npos)
        fail(file, line, "`# exit N` needs a number, got `" + part + "`");
      command.exit_code = std::stoi(code);
    } else if (starts_with(part, "suite:")) {
      command.suite_flags = trim(part.substr(6));
      if (!starts_with(command.suite_flags, "--"))
        fail(file, line, "`# suite:` needs flags (`--seeds 1..200`), got `" + part + "`");
    }
  }
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::stringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

std::vector<DocBlock> parse_doc_commands(const std::string& file, const std::string& markdown) {
  std::vector<std::string> lines;
  std::stringstream in(markdown);
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  std::vector<DocBlock> blocks;
  DocBlock* last_sh = nullptr;  // the sh block an output block may follow
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string fence = trim(lines[i]);
    if (!starts_with(fence, "```")) {
      if (!fence.empty()) last_sh = nullptr;
      continue;
    }
    const std::string info = trim(fence.substr(3));
    const int opened_at = static_cast<int>(i) + 1;
    std::vector<std::pair<int, std::string>> body;
    for (++i; i < lines.size() && trim(lines[i]) != "```"; ++i)
      body.push_back({static_cast<int>(i) + 1, lines[i]});
    if (i == lines.size()) fail(file, opened_at, "a code block that is never closed");

    if (info == "sh") {
      DocBlock block{file, opened_at, {}};
      for (const auto& [number, text] : body) {
        const std::string line = trim(text);
        if (!starts_with(line, "faultline ")) continue;
        DocCommand command;
        command.line = number;
        const size_t comment = comment_start(line);
        command.command = trim(line.substr(0, comment));
        if (comment != std::string::npos)
          read_annotation(file, number, line.substr(comment + 1), command);
        block.commands.push_back(command);
      }
      blocks.push_back(block);
      last_sh = &blocks.back();
    } else if (info == "text") {
      if (!last_sh || last_sh->commands.empty())
        fail(file, opened_at, "an output block (```text) right after no ```sh block's command");
      std::vector<ExpectedLine>& output = last_sh->commands.back().output;
      if (!output.empty()) fail(file, opened_at, "a second output block for one command");
      for (const auto& [number, text] : body) {
        if (!trim(text).empty()) output.push_back({number, trim(text)});
      }
      last_sh = nullptr;
    } else {
      last_sh = nullptr;
    }
  }
  for (auto it = blocks.begin(); it != blocks.end();) {
    it = it->commands.empty() ? blocks.erase(it) : it + 1;
  }
  return blocks;
}

std::string command_for_suite(const DocCommand& command) {
  if (command.suite_flags.empty()) return command.command;
  // Split at blanks: a command with suite flags must not quote an argument that has blanks.
  std::vector<std::string> words = split_words(command.command);
  const std::vector<std::string> replacements = split_words(command.suite_flags);
  for (size_t r = 0; r + 1 < replacements.size(); r += 2) {
    bool replaced = false;
    for (size_t w = 0; w + 1 < words.size(); ++w) {
      if (words[w] == replacements[r]) {
        words[w + 1] = replacements[r + 1];
        replaced = true;
      }
    }
    if (!replaced) words.insert(words.end(), {replacements[r], replacements[r + 1]});
  }
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

bool line_matches(const std::string& line, const std::string& expected) {
  size_t at = 0;
  size_t from = 0;
  while (true) {
    const size_t ellipsis = expected.find(kEllipsis, from);
    const std::string piece = expected.substr(from, ellipsis - from);
    const size_t found = line.find(piece, at);
    if (found == std::string::npos) return false;
    at = found + piece.size();
    if (ellipsis == std::string::npos) return true;
    from = ellipsis + kEllipsis.size();
  }
}

const ExpectedLine* first_missing_line(const std::string& output,
                                       const std::vector<ExpectedLine>& expected) {
  std::vector<std::string> lines;
  std::stringstream in(output);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  size_t next = 0;
  for (const ExpectedLine& want : expected) {
    while (next < lines.size() && !line_matches(lines[next], want.text)) ++next;
    if (next == lines.size()) return &want;
    ++next;
  }
  return nullptr;
}

}  // namespace faultline::testing
