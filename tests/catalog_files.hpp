#pragma once
// The scenario catalog as the tests walk it: every JSON file under scenarios/, sorted, and the
// protocol scenarios among them (a spec-level model has no world to run), parsed.

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "run/scenario.hpp"
#include "run/spec_scenario.hpp"

namespace faultline::testing {

inline std::vector<std::string> catalog_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::string(FAULTLINE_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Each protocol scenario of the catalog that runs in time (not a search's), with its file, in
// file order.
inline std::vector<std::pair<std::string, run::Scenario>> catalog_protocol_scenarios() {
  std::vector<std::pair<std::string, run::Scenario>> scenarios;
  for (const std::string& file : catalog_files()) {
    nlohmann::json document = run::load_scenario_document(file);
    if (run::names_a_spec(document) || document.contains("search")) continue;
    scenarios.emplace_back(file, run::parse_scenario(file, document));
  }
  return scenarios;
}

}  // namespace faultline::testing
