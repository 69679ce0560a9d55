#pragma once
// The 2PC scenario the implementation-search tests share: two participants, one transaction,
// and the `search` section each test varies.

#include <string>
#include <vector>

#include "run/scenario.hpp"

namespace faultline::run {

inline Scenario twopc_search_scenario(const std::string& variant, nlohmann::json search,
                                      const std::vector<std::string>& checkers) {
  nlohmann::json document = {{"protocol", "2pc"},
                             {"variant", variant},
                             {"params", {{"participants", 2}, {"transactions", 1}}},
                             {"checkers", checkers},
                             {"search", std::move(search)}};
  return parse_scenario("search-test.json", document);
}

}  // namespace faultline::run
