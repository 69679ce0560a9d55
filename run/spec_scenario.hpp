#pragma once
// A scenario file naming a spec-level model (`"spec": "twophase"`) instead of a protocol
// (docs/model-checking.md): which model and variant, its parameters, how to search it, and what
// the search must show. Read as strictly as a protocol scenario; `--set` overrides apply the same
// way.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/scenario.hpp"
#include "spec/model.hpp"
#include "spec/search.hpp"

namespace faultline::run {

struct SpecScenario {
  std::string file;
  std::string name;
  std::string description;
  std::string spec;
  std::string variant;
  nlohmann::json params = nlohmann::json::object();
  spec::SearchOptions search;  // the file's `search`: strategy, symmetry and bounds
  std::optional<Expectation> expect;
  nlohmann::json document;
};

// Whether a scenario document names a spec-level model rather than a protocol.
bool names_a_spec(const nlohmann::json& document);

// Throws protocols::ScenarioError.
SpecScenario parse_spec_scenario(const std::string& file, const nlohmann::json& document);

// The model the scenario names, its parameters read strictly. Throws protocols::ScenarioError.
std::unique_ptr<spec::Model> build_model(const SpecScenario& scenario);

// "bfs" or "dfs" (the names `--strategy` takes), and back; nullopt for another name.
std::optional<spec::SearchOrder> search_order(const std::string& strategy);

}  // namespace faultline::run
