// The layers of docs/architecture.md, enforced: every `#include "folder/..."` of ours in a source
// folder must name a folder that this folder may depend on. A layer that reaches up (the kernel
// including a protocol, the run library including cli/) fails here, naming the file and line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// What each folder may include of ours, itself included. tests/ and bench/ may include every
// library layer but cli/: they drive the run library, never the executable's internals.
const std::map<std::string, std::set<std::string>>& allowed_includes() {
  static const std::map<std::string, std::set<std::string>> allowed = {
      {"base", {"base"}},
      {"sim", {"sim", "base"}},
      {"checkers", {"checkers", "base"}},
      {"spec", {"spec", "base"}},
      {"protocols", {"protocols", "sim", "checkers", "base"}},
      {"reports", {"reports", "sim", "checkers", "base"}},
      {"run", {"run", "spec", "protocols", "reports", "sim", "checkers", "base"}},
      {"cli", {"cli", "spec", "run", "protocols", "reports", "sim", "checkers", "base"}},
      {"bench", {"bench", "spec", "run", "protocols", "reports", "sim", "checkers", "base"}},
      {"tests", {"tests", "spec", "run", "protocols", "reports", "sim", "checkers", "base"}},
  };
  return allowed;
}

struct BadInclude {
  std::string where;  // file:line
  std::string included;
};

std::vector<BadInclude> includes_outside_layer(const fs::path& root, const std::string& folder,
                                               const std::set<std::string>& allowed) {
  static const std::regex include_line(R"(^\s*#\s*include\s*"([a-z_]+)/[^"]*")");
  std::vector<BadInclude> bad;
  for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      std::smatch match;
      if (std::regex_search(line, match, include_line) && !allowed.count(match[1].str())) {
        bad.push_back(
            {fs::relative(entry.path(), root).string() + ":" + std::to_string(number), line});
      }
    }
  }
  return bad;
}

}  // namespace

TEST_CASE("every layer includes only the layers below it, and nothing includes cli/ but cli/") {
  const fs::path root = FAULTLINE_SOURCE_DIR;
  for (const auto& layer : allowed_includes()) {
    // Not a structured binding: clang 14 cannot capture one in doctest's assertion lambdas.
    const std::string& folder = layer.first;
    const std::set<std::string>& allowed = layer.second;
    REQUIRE_MESSAGE(fs::is_directory(root / folder), folder);
    for (const BadInclude& bad : includes_outside_layer(root, folder, allowed)) {
      FAIL_CHECK(bad.where << ": " << folder << "/ may not include this: " << bad.included);
    }
  }
}
