#include "protocols/ring/placement_figures.hpp"

#include <algorithm>
#include <cmath>

namespace faultline::protocols::ring {
namespace {

std::string key(size_t i) {
  return "key-" + std::to_string(i);
}

}  // namespace

std::vector<std::string> node_names(size_t count) {
  std::vector<std::string> names;
  for (size_t i = 1; i <= count; ++i) names.push_back("node-" + std::to_string(i));
  return names;
}

Movement movement(Strategy strategy, const std::vector<std::string>& before,
                  const std::vector<std::string>& after, const std::string& changed, size_t keys,
                  size_t vnodes) {
  auto old_placement = make_placement(strategy, before, vnodes);
  auto new_placement = make_placement(strategy, after, vnodes);
  size_t moved = 0;
  bool only_changed = true;
  for (size_t i = 0; i < keys; ++i) {
    const std::string k = key(i);
    const std::string& was = before[old_placement->node_of(k)];
    const std::string& now = after[new_placement->node_of(k)];
    if (was == now) continue;
    ++moved;
    if (was != changed && now != changed) only_changed = false;
  }
  return {static_cast<double>(moved) / static_cast<double>(keys), only_changed};
}

Balance balance(Strategy strategy, const std::vector<std::string>& nodes, size_t keys,
                size_t vnodes) {
  auto placement = make_placement(strategy, nodes, vnodes);
  std::vector<double> load(nodes.size(), 0);
  for (size_t i = 0; i < keys; ++i) load[placement->node_of(key(i))] += 1;
  const double mean = static_cast<double>(keys) / static_cast<double>(nodes.size());
  double squares = 0;
  for (double l : load) squares += (l - mean) * (l - mean);
  return {*std::max_element(load.begin(), load.end()) / mean,
          std::sqrt(squares / static_cast<double>(nodes.size())) / mean};
}

}  // namespace faultline::protocols::ring
