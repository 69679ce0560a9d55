#pragma once
// Node-state fingerprints against input chains (sim::Node::fingerprint_state): a search that tells
// states apart by what each node says it is must find exactly what one that tells them apart by
// each node's chain of inputs finds (the same violations at the same depth, the same `sometimes`
// at the same depths, the same bound cutting it), in no more states. A node whose hash left out
// something its future depends on would merge two states that behave differently, and one of
// these would differ. Shared by the tests of every protocol whose nodes give their own state.
#include <doctest/doctest.h>

#include <utility>

#include "run/scenario.hpp"
#include "run/world_search.hpp"

namespace faultline::run {

// The search of `s` with node-state fingerprints and with input chains; checks that both find
// the same, and returns {states, inputs}.
inline std::pair<WorldSearchResult, WorldSearchResult> both_ways(const Scenario& s) {
  // The world's fingerprints follow the scenario's budget (run::build_world), not the spec's.
  Scenario inputs = s;
  inputs.search->budget.node_states = false;
  WorldSearchResult by_state = search_world(s, *s.search, 1);
  WorldSearchResult by_inputs = search_world(inputs, *inputs.search, 1);
  CHECK(by_state.cut_by == by_inputs.cut_by);
  CHECK(by_state.exhausted == by_inputs.exhausted);
  CHECK(by_state.depth == by_inputs.depth);
  CHECK(by_state.violation.has_value() == by_inputs.violation.has_value());
  if (by_state.violation && by_inputs.violation) {
    CHECK(by_state.violation->checker == by_inputs.violation->checker);
    CHECK(by_state.violation->steps == by_inputs.violation->steps);
  }
  REQUIRE(by_state.sometimes.size() == by_inputs.sometimes.size());
  for (size_t i = 0; i < by_state.sometimes.size(); ++i) {
    CAPTURE(by_state.sometimes[i].name);
    CHECK(by_state.sometimes[i].reached == by_inputs.sometimes[i].reached);
    CHECK(by_state.sometimes[i].depth == by_inputs.sometimes[i].depth);
  }
  CHECK(by_state.distinct_states <= by_inputs.distinct_states);
  return {std::move(by_state), std::move(by_inputs)};
}

}  // namespace faultline::run
