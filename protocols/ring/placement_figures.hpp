#pragma once
// What a placement costs when the membership changes, and how evenly it spreads keys: the figures
// the tests hold against theory and bench/placement_bench prints.

#include <cstddef>
#include <string>
#include <vector>

#include "protocols/ring/placement.hpp"

namespace faultline::protocols::ring {

// "node-1".."node-N".
std::vector<std::string> node_names(size_t count);

struct Movement {
  double moved = 0;              // fraction of the keys whose home changed
  bool only_to_or_from = false;  // every moved key moved to the joining (from the leaving) node
};

// Homes of `keys` keys ("key-0"...) before and after `after` replaces `before`; `changed` is the
// node that joined (a name in `after` only) or left (in `before` only).
Movement movement(Strategy strategy, const std::vector<std::string>& before,
                  const std::vector<std::string>& after, const std::string& changed, size_t keys,
                  size_t vnodes = 1);

struct Balance {
  double max_over_mean = 0;     // the most loaded node's keys over the mean
  double stddev_over_mean = 0;  // the coefficient of variation of keys per node
};

Balance balance(Strategy strategy, const std::vector<std::string>& nodes, size_t keys,
                size_t vnodes = 1);

}  // namespace faultline::protocols::ring
