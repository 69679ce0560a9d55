#include "run/spec_scenario.hpp"

#include <algorithm>

#include "run/spec_registry.hpp"
#include "spec/state_store.hpp"

namespace faultline::run {

using protocols::Fields;

bool names_a_spec(const nlohmann::json& document) {
  return document.is_object() && document.contains("spec");
}

std::optional<spec::SearchOrder> search_order(const std::string& strategy) {
  if (strategy == "bfs") return spec::SearchOrder::breadth_first;
  if (strategy == "dfs") return spec::SearchOrder::depth_first;
  return std::nullopt;
}

SpecScenario parse_spec_scenario(const std::string& file, const nlohmann::json& document) {
  SpecScenario s;
  s.file = file;
  s.document = document;
  Fields f(document, file, "");
  s.description = f.string("description", "");
  std::string names;
  for (const SpecInfo& info : spec_registry()) names += (names.empty() ? "" : ", ") + info.name;
  s.spec = f.required_string("spec");
  const SpecInfo* info = find_spec(s.spec);
  if (!info) f.fail("spec", "a spec-level model (" + names + ")");
  s.name = f.string("name", s.spec);
  std::vector<std::string> variants;
  for (const auto& v : info->variants) variants.push_back(v.name);
  s.variant = f.choice("variant", variants, variants.front());
  if (const nlohmann::json* params = f.raw("params")) {
    if (!params->is_object()) f.fail("params", "an object of the model's parameters");
    s.params = *params;
  }
  {
    Fields search = f.object("search");
    s.search.order = *search_order(search.choice("strategy", {"bfs", "dfs"}, "bfs"));
    s.search.symmetry = search.boolean("symmetry", false);
    s.search.max_depth = static_cast<uint64_t>(search.integer("max_depth", 0, 0, UINT32_MAX));
    s.search.max_states = static_cast<uint64_t>(
        search.integer("max_states", 0, 0, static_cast<int64_t>(spec::StateStore::kMaxStates)));
    search.finish();
  }
  s.expect = read_expectation(f, "<invariant>");
  f.finish();
  // The model's own parameters, read now: a bad one fails before any search starts.
  build_model(s);
  return s;
}

std::unique_ptr<spec::Model> build_model(const SpecScenario& scenario) {
  const SpecInfo* info = find_spec(scenario.spec);
  Fields params(scenario.params, scenario.file, "params");
  std::unique_ptr<spec::Model> model = info->make(params, scenario.variant);
  params.finish();
  if (scenario.search.symmetry && !model->has_symmetry()) {
    throw protocols::ScenarioError(scenario.file, "search.symmetry",
                                   "false: model " + scenario.spec + " declares no symmetry",
                                   "true");
  }
  if (scenario.expect && !scenario.expect->ok) {
    const auto& names = model->invariant_names();
    if (std::find(names.begin(), names.end(), scenario.expect->violation) == names.end()) {
      std::string known;
      for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
      throw protocols::ScenarioError(scenario.file, "expect.violation",
                                     "an invariant of " + scenario.spec + " (" + known + ")",
                                     "\"" + scenario.expect->violation + "\"");
    }
  }
  return model;
}

}  // namespace faultline::run
