#include "sim/network.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace faultline::sim {

Duration LatencyModel::sample(Choices& choices, StreamId stream) const {
  switch (shape) {
    case Shape::kConstant:
      return min;
    case Shape::kUniform: {
      uint64_t span = static_cast<uint64_t>((max - min).ns()) + 1;
      return min + Duration::nanoseconds(static_cast<int64_t>(choices.draw(stream, span)));
    }
    case Shape::kExponential: {
      Duration tail = Duration::nanoseconds(draw_exponential_ns(choices, stream, mean.ns()));
      return std::min(min + tail, max);
    }
  }
  return min;
}

Probability Probability::from_double(double p) {
  Probability result;
  p = std::clamp(p, 0.0, 1.0);
  result.threshold_ = static_cast<uint64_t>(std::llround(p * static_cast<double>(kScale)));
  return result;
}

void LinkRules::resize(size_t nodes) {
  n_ = nodes;
  blocked_.assign(nodes * nodes, 0);
  blocked_count_ = 0;
}

void LinkRules::heal() {
  std::fill(blocked_.begin(), blocked_.end(), 0);
  blocked_count_ = 0;
}

std::string_view to_string(PartitionSpec::Mode mode) {
  switch (mode) {
    case PartitionSpec::Mode::kSplit:
      return "split";
    case PartitionSpec::Mode::kOneWay:
      return "one-way";
    case PartitionSpec::Mode::kIsolate:
      return "isolate";
    case PartitionSpec::Mode::kBridge:
      return "bridge";
    case PartitionSpec::Mode::kMajorityMinority:
      return "majority-minority";
  }
  return "?";
}

namespace {

std::string describe_group(const std::vector<NodeId>& group,
                           const std::vector<std::string>& names) {
  std::string out = "{";
  for (size_t i = 0; i < group.size(); ++i) {
    if (i) out += ",";
    out += names[group[i]];
  }
  return out + "}";
}

void split(const std::vector<std::vector<NodeId>>& groups, LinkRules& rules) {
  for (size_t a = 0; a < groups.size(); ++a) {
    for (size_t b = 0; b < groups.size(); ++b) {
      if (a == b) continue;
      for (NodeId x : groups[a]) {
        for (NodeId y : groups[b]) rules.block(x, y);
      }
    }
  }
}

}  // namespace

std::string apply_partition(const PartitionSpec& spec, LinkRules& rules, Choices& choices,
                            StreamId stream, const std::vector<std::string>& names,
                            PartitionSpec* applied) {
  rules.heal();
  if (applied) *applied = spec;
  const auto& g = spec.groups;
  switch (spec.mode) {
    case PartitionSpec::Mode::kSplit: {
      split(g, rules);
      std::string out;
      for (size_t i = 0; i < g.size(); ++i) out += (i ? " | " : "") + describe_group(g[i], names);
      return "split " + out;
    }
    case PartitionSpec::Mode::kOneWay:
      assert(g.size() == 2);
      for (NodeId x : g[0]) {
        for (NodeId y : g[1]) rules.block(x, y);
      }
      return "one-way " + describe_group(g[0], names) + " -/-> " + describe_group(g[1], names);
    case PartitionSpec::Mode::kIsolate: {
      assert(g.size() == 1);
      std::vector<NodeId> rest;
      for (NodeId n = 0; n < rules.size(); ++n) {
        if (std::find(g[0].begin(), g[0].end(), n) == g[0].end()) rest.push_back(n);
      }
      split({g[0], rest}, rules);
      return "isolate " + describe_group(g[0], names);
    }
    case PartitionSpec::Mode::kBridge:
      assert(g.size() == 3);
      split({g[0], g[1]}, rules);
      return "bridge " + describe_group(g[0], names) + " <" + describe_group(g[2], names) + "> " +
             describe_group(g[1], names);
    case PartitionSpec::Mode::kMajorityMinority: {
      assert(g.size() == 1 && !g[0].empty());
      // Fisher-Yates through the tape, then the first floor((n-1)/2) nodes are the minority.
      std::vector<NodeId> order = g[0];
      for (size_t i = order.size() - 1; i > 0; --i) {
        std::swap(order[i], order[choices.draw(stream, i + 1)]);
      }
      size_t minority = (order.size() - 1) / 2;
      std::vector<NodeId> small(order.begin(), order.begin() + static_cast<long>(minority));
      std::vector<NodeId> big(order.begin() + static_cast<long>(minority), order.end());
      std::sort(small.begin(), small.end());
      std::sort(big.begin(), big.end());
      split({small, big}, rules);
      if (applied) *applied = PartitionSpec{PartitionSpec::Mode::kSplit, {small, big}};
      return "majority " + describe_group(big, names) + " | minority " +
             describe_group(small, names);
    }
  }
  return {};
}

}  // namespace faultline::sim
