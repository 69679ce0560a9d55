#pragma once
// The spec-level models (spec/) a scenario file can name with `"spec"`, as the protocol registry
// (run/registry) holds the protocols: the built-in ones, and any a user's program registers
// before it calls faultline::main.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "protocols/params.hpp"
#include "protocols/protocol.hpp"
#include "spec/model.hpp"

namespace faultline::run {

struct SpecInfo {
  std::string name;
  std::string description;
  std::vector<protocols::VariantInfo> variants;  // the first is the default, and correct
  // Reads the scenario's `params` strictly and builds the model of `variant` (one of variants).
  std::function<std::unique_ptr<spec::Model>(protocols::Fields& params, const std::string& variant)>
      make;
};

const std::vector<SpecInfo>& spec_registry();
const SpecInfo* find_spec(const std::string& name);
// Adds a spec; a name already registered is replaced.
void register_spec(SpecInfo spec);

}  // namespace faultline::run
