#include "sim/link_rules.hpp"

#include <algorithm>
#include <cassert>

namespace faultline::sim {

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
    out += group[i] < names.size() ? names[group[i]] : "#" + std::to_string(group[i]);
  }
  return out + "}";
}

void cut_between(const std::vector<std::vector<NodeId>>& groups, std::vector<Link>& links) {
  for (size_t a = 0; a < groups.size(); ++a) {
    for (size_t b = 0; b < groups.size(); ++b) {
      if (a == b) continue;
      for (NodeId x : groups[a]) {
        for (NodeId y : groups[b]) links.push_back({x, y});
      }
    }
  }
}

}  // namespace

PartitionCut cut_links(const PartitionSpec& spec, size_t nodes, Choices& choices, StreamId stream,
                       const std::vector<std::string>& names) {
  PartitionCut cut;
  cut.applied = spec;
  const auto& g = spec.groups;
  switch (spec.mode) {
    case PartitionSpec::Mode::kSplit: {
      cut_between(g, cut.links);
      std::string out;
      for (size_t i = 0; i < g.size(); ++i) out += (i ? " | " : "") + describe_group(g[i], names);
      cut.description = "split " + out;
      break;
    }
    case PartitionSpec::Mode::kOneWay:
      assert(g.size() == 2);
      for (NodeId x : g[0]) {
        for (NodeId y : g[1]) cut.links.push_back({x, y});
      }
      cut.description =
          "one-way " + describe_group(g[0], names) + " -/-> " + describe_group(g[1], names);
      break;
    case PartitionSpec::Mode::kIsolate: {
      assert(g.size() == 1);
      std::vector<NodeId> rest;
      for (NodeId n = 0; n < nodes; ++n) {
        if (std::find(g[0].begin(), g[0].end(), n) == g[0].end()) rest.push_back(n);
      }
      cut_between({g[0], rest}, cut.links);
      cut.description = "isolate " + describe_group(g[0], names);
      break;
    }
    case PartitionSpec::Mode::kBridge:
      assert(g.size() == 3);
      cut_between({g[0], g[1]}, cut.links);
      cut.description = "bridge " + describe_group(g[0], names) + " <" +
                        describe_group(g[2], names) + "> " + describe_group(g[1], names);
      break;
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
      cut_between({small, big}, cut.links);
      cut.applied = PartitionSpec{PartitionSpec::Mode::kSplit, {small, big}};
      cut.description =
          "majority " + describe_group(big, names) + " | minority " + describe_group(small, names);
      break;
    }
  }
  return cut;
}

void LinkRules::resize(size_t nodes) {
  n_ = nodes;
  cuts_.assign(nodes * nodes, 0);
  blocked_count_ = 0;
  rules_.clear();
}

void LinkRules::add(PartitionId id, const std::vector<Link>& links) {
  assert(id != 0 && !in_force(id) && "a partition's id is unique while it is in force");
  std::vector<Link>& rule = rules_[id];
  for (const Link& link : links) {
    if (link.from >= n_ || link.to >= n_ || link.from == link.to) continue;
    rule.push_back(link);
  }
  // A link named twice by one rule is cut once by it.
  std::sort(rule.begin(), rule.end());
  rule.erase(std::unique(rule.begin(), rule.end()), rule.end());
  for (const Link& link : rule) {
    uint16_t& cuts = cuts_[link.from * n_ + link.to];
    blocked_count_ += cuts == 0;
    ++cuts;
  }
}

bool LinkRules::remove(PartitionId id) {
  auto it = rules_.find(id);
  if (it == rules_.end()) return false;
  for (const Link& link : it->second) {
    uint16_t& cuts = cuts_[link.from * n_ + link.to];
    --cuts;
    blocked_count_ -= cuts == 0;
  }
  rules_.erase(it);
  return true;
}

void LinkRules::heal() {
  std::fill(cuts_.begin(), cuts_.end(), 0);
  blocked_count_ = 0;
  rules_.clear();
}

std::vector<PartitionId> LinkRules::ids() const {
  std::vector<PartitionId> out;
  for (const auto& [id, links] : rules_) out.push_back(id);
  return out;
}

}  // namespace faultline::sim
