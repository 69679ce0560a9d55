// `faultline list`: protocols, their variants and checkers, and the scenario catalog.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "protocols/params.hpp"
#include "run/registry.hpp"
#include "run/scenario.hpp"
#include "run/spec_registry.hpp"
#include "run/spec_scenario.hpp"

namespace faultline::cli {

using namespace faultline::run;
namespace {

void print_variants(const std::vector<protocols::VariantInfo>& variants) {
  for (size_t i = 0; i < variants.size(); ++i) {
    const auto& v = variants[i];
    std::cout << "    variant " << v.name << (i == 0 ? " (default)" : "")
              << (v.buggy ? " [known bug]" : "") << ": " << v.description << "\n";
  }
}

void list_specs() {
  std::cout << "spec-level models (searched by explore --strategy bfs|dfs):\n";
  for (const auto& s : spec_registry()) {
    std::cout << "  " << s.name << ": " << s.description << "\n";
    print_variants(s.variants);
  }
}

void list_protocols() {
  std::cout << "protocols:\n";
  for (const auto& p : protocol_registry()) {
    std::cout << "  " << p.name << ": " << p.description << "\n";
    print_variants(p.variants);
    for (const auto& c : p.checkers) {
      bool by_default = std::find(p.default_checkers.begin(), p.default_checkers.end(), c.name) !=
                        p.default_checkers.end();
      std::cout << "    checker " << c.name << (by_default ? " (default)" : "") << ": "
                << c.description << "\n";
    }
  }
}

void list_scenarios(const std::string& root) {
  std::vector<std::string> files;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(root, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".json")
      files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());  // directory order is the file system's whim
  std::cout << "scenarios (" << root << "):\n";
  if (files.empty()) std::cout << "  none found\n";
  for (const std::string& file : files) {
    try {
      nlohmann::json document = load_scenario_document(file);
      if (names_a_spec(document)) {
        SpecScenario s = parse_spec_scenario(file, document);
        std::string expect = !s.expect ? "-" : s.expect->ok ? "ok" : s.expect->violation;
        std::cout << "  " << file << "  [spec " << s.spec << "/" << s.variant << ", expect "
                  << expect << "]\n";
        if (!s.description.empty()) std::cout << "      " << s.description << "\n";
        continue;
      }
      Scenario s = parse_scenario(file, document);
      std::string expect = !s.expect ? "-" : s.expect->ok ? "ok" : s.expect->violation;
      std::cout << "  " << file << "  [" << s.protocol << (s.variant.empty() ? "" : "/" + s.variant)
                << ", expect " << expect << "]\n";
      if (!s.description.empty()) std::cout << "      " << s.description << "\n";
    } catch (const protocols::ScenarioError& e) {
      std::cout << "  " << file << "  [unreadable: " << e.what() << "]\n";
    }
  }
}

}  // namespace

void add_list_command(CLI::App& app, int& exit_code) {
  auto root = std::make_shared<std::string>("scenarios");
  CLI::App* cmd = app.add_subcommand("list", "List protocols, variants, checkers and scenarios");
  cmd->add_option("--scenarios", *root, "Catalog directory to list (default: scenarios)");
  cmd->callback([root, &exit_code] {
    list_protocols();
    list_specs();
    list_scenarios(*root);
    exit_code = kExitOk;
  });
}

}  // namespace faultline::cli
