// docs/catalog.md against the scenario files: every scenario in scenarios/ has its entry in the
// catalog, and every scenario file a document names exists. A scenario added without its lesson
// written down, or renamed under a document, fails here.
#include <doctest/doctest.h>

#include "tests/command.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace faultline::run {
namespace {

namespace fs = std::filesystem;
using faultline::testing::read_text;

// The scenario files, as paths relative to the source root ("scenarios/locks/x.json").
std::set<std::string> scenario_files(const fs::path& root) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root / "scenarios")) {
    if (entry.path().extension() == ".json") {
      files.insert(fs::relative(entry.path(), root).generic_string());
    }
  }
  return files;
}

// Every "scenarios/....json" a document names.
std::set<std::string> named_scenarios(const std::string& text) {
  static const std::regex path(R"(scenarios/[a-z0-9_/-]+\.json)");
  std::set<std::string> named;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), path); it != std::sregex_iterator();
       ++it) {
    named.insert(it->str());
  }
  return named;
}

}  // namespace

TEST_CASE("docs/catalog.md has an entry for every scenario file") {
  const fs::path root = FAULTLINE_SOURCE_DIR;
  const std::set<std::string> files = scenario_files(root);
  const std::set<std::string> in_catalog = named_scenarios(read_text(root / "docs/catalog.md"));
  REQUIRE_FALSE(files.empty());
  for (const std::string& file : files) {
    CHECK_MESSAGE(in_catalog.count(file), file << " is not in docs/catalog.md");
  }
}

TEST_CASE("every scenario file README.md and docs/ name exists") {
  const fs::path root = FAULTLINE_SOURCE_DIR;
  // The catalog's, and the example projects' own (docs/library.md names those).
  std::set<std::string> files = scenario_files(root);
  for (const auto& example : fs::directory_iterator(root / "examples")) {
    for (const std::string& file : scenario_files(example.path())) files.insert(file);
  }
  std::vector<fs::path> documents = {root / "README.md", root / "DEVELOPERS.md"};
  for (const auto& entry : fs::directory_iterator(root / "docs")) {
    if (entry.path().extension() == ".md") documents.push_back(entry.path());
  }
  for (const fs::path& document : documents) {
    for (const std::string& named : named_scenarios(read_text(document))) {
      // docs/scenarios.md quotes error messages about a made-up file.
      if (named == "scenarios/x.json") continue;
      CHECK_MESSAGE(files.count(named), document.filename().string()
                                            << " names " << named << ", which does not exist");
    }
  }
}

}  // namespace faultline::run
