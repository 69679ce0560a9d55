#pragma once

// Model names -> checkers. `faultline check --model NAME` and the runner look models up here;
// adding a model is a header in this folder plus one line in registry.cpp.

#include <string_view>
#include <vector>

#include "checkers/history.hpp"
#include "checkers/linearizability.hpp"

namespace faultline::checkers::models {

struct ModelInfo {
  std::string_view name;
  std::string_view summary;  // operations and values, one line, for --help and docs
  bool keyed;                // values are [key, v]; partitioned by key
  // Encodes the calls for the model (throws InputError naming `source`) and searches.
  CheckResult (*check)(const std::vector<CallReturn>& calls, const CheckOptions& options,
                       std::string_view source);
};

// All models, in name order.
const std::vector<ModelInfo>& all_models();
// nullptr when unknown.
const ModelInfo* find_model(std::string_view name);

// Pairs the history's operations and checks them against the model.
CheckResult check_history(const History& history, const ModelInfo& model,
                          const CheckOptions& options);

}  // namespace faultline::checkers::models
