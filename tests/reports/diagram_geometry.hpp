#pragma once
// Reads back where a space-time diagram's DOT places its nodes, and checks the geometry every
// diagram must have: straight lifelines running down the page, messages pointing down from send
// to delivery, rows in order, columns side by side without overlapping.

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "reports/text_width.hpp"

namespace faultline::reports::testing {

struct PlacedNode {
  double x = 0;
  double y = 0;  // down the page: the DOT's y negated
  std::string attributes;
};

struct PlacedDiagram {
  std::map<std::string, PlacedNode> nodes;
  std::vector<std::pair<std::string, std::string>> lifeline_edges;  // consecutive, top to bottom
  std::vector<std::pair<std::string, std::string>> message_edges;   // send to delivery or drop
};

// The value of a node's quoted `label`, unescaped; "" without one.
inline std::string label_of(const PlacedNode& node) {
  const std::string& a = node.attributes;
  const size_t at = a.find(", label=\"") != std::string::npos ? a.find(", label=\"") + 9
                    : a.rfind("label=\"", 0) == 0             ? 7
                                                              : std::string::npos;
  if (at == std::string::npos) return "";
  std::string text;
  for (size_t i = at; i < a.size() && a[i] != '"'; ++i) {
    if (a[i] == '\\' && i + 1 < a.size()) {
      ++i;
      text += a[i] == 'n' ? '\n' : a[i];
    } else {
      text += a[i];
    }
  }
  return text;
}

// A plain (unquoted) attribute's value, or `otherwise`.
inline std::string plain_attribute(const PlacedNode& node, const std::string& name,
                                   const std::string& otherwise) {
  const std::string& a = node.attributes;
  const std::string key = name + "=";
  size_t at = a.rfind(key, 0) == 0 ? 0 : a.find(", " + key);
  if (at == std::string::npos) return otherwise;
  at = a.find('=', at) + 1;
  const size_t end = a.find_first_of(",]", at);
  return a.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

inline PlacedDiagram placed(const std::string& dot) {
  PlacedDiagram d;
  size_t begin = 0;
  while (begin < dot.size()) {
    size_t end = dot.find('\n', begin);
    if (end == std::string::npos) end = dot.size();
    const std::string line = dot.substr(begin, end - begin);
    begin = end + 1;
    const size_t pos = line.find(" [pos=\"");
    if (pos != std::string::npos && line.rfind("  ", 0) == 0) {
      PlacedNode node;
      const size_t comma = line.find(',', pos);
      node.x = std::stod(line.substr(pos + 7, comma - pos - 7));
      node.y = -std::stod(line.substr(comma + 1, line.find('!', comma) - comma - 1));
      const size_t rest = line.find("\", ", comma) + 3;
      node.attributes = line.substr(rest, line.size() - 2 - rest);  // without "];"
      d.nodes[line.substr(2, pos - 2)] = node;
      continue;
    }
    const size_t bracket = line.find(" [");
    if (line.find(" -> ") == std::string::npos || bracket == std::string::npos) continue;
    std::vector<std::string> chain;
    for (size_t from = 2; from < bracket;) {
      const size_t arrow = std::min(line.find(" -> ", from), bracket);
      chain.push_back(line.substr(from, arrow - from));
      from = arrow + 4;
    }
    const bool lifeline = line.find("arrowhead=none", bracket) != std::string::npos;
    for (size_t i = 0; i + 1 < chain.size(); ++i) {
      (lifeline ? d.lifeline_edges : d.message_edges).emplace_back(chain[i], chain[i + 1]);
    }
  }
  return d;
}

// The geometry of every diagram. Returns the nodes for further checks.
inline PlacedDiagram check_geometry(const std::string& dot) {
  const PlacedDiagram d = placed(dot);
  REQUIRE(d.nodes.count("time_head") == 1);
  auto at = [&](const std::string& id) -> const PlacedNode& {
    INFO("node " << id);
    REQUIRE(d.nodes.count(id) == 1);
    return d.nodes.at(id);
  };
  // A lifeline is straight and runs down the page: each item below the one before, same x.
  for (const auto& edge : d.lifeline_edges) {
    INFO("lifeline " << edge.first << " -> " << edge.second);
    CHECK(at(edge.first).x == at(edge.second).x);
    CHECK(at(edge.first).y < at(edge.second).y);
  }
  // A message arrives lower on the page than it was sent (zero latency still points down).
  for (const auto& edge : d.message_edges) {
    INFO("message " << edge.first << " -> " << edge.second);
    CHECK(at(edge.first).y < at(edge.second).y);
  }
  // The time axis: heads on one line at the top, later rows lower.
  std::vector<std::pair<int, double>> rows;
  for (const auto& entry : d.nodes) {
    const std::string& id = entry.first;
    if (id[0] == 'h') CHECK(entry.second.y == at("time_head").y);
    if (id[0] == 'r') rows.emplace_back(std::stoi(id.substr(1)), entry.second.y);
    if (id != "time_head") CHECK(entry.second.y >= at("time_head").y);
  }
  std::sort(rows.begin(), rows.end());
  for (size_t i = 0; i + 1 < rows.size(); ++i) CHECK(rows[i].second < rows[i + 1].second);
  // Columns (everything at one x) as wide as their widest node do not overlap, and in a column
  // no node overlaps the next one down.
  std::map<double, std::pair<double, double>> columns;             // x -> leftmost, rightmost point
  std::map<double, std::vector<std::pair<double, double>>> spans;  // x -> top, bottom of each
  for (const auto& entry : d.nodes) {
    const PlacedNode& node = entry.second;
    // The invisible ends of an interval's bar sit beside the lifeline, inside its column.
    if (node.attributes.find("style=invis") != std::string::npos) continue;
    const NodeSize size =
        node_size(label_of(node), std::stod(plain_attribute(node, "fontsize", "9")),
                  plain_attribute(node, "shape", "box"));
    auto it = columns.try_emplace(node.x, node.x, node.x).first;
    it->second.first = std::min(it->second.first, node.x - size.width / 2);
    it->second.second = std::max(it->second.second, node.x + size.width / 2);
    spans[node.x].emplace_back(node.y - size.height / 2, node.y + size.height / 2);
  }
  for (auto& column : spans) {
    std::sort(column.second.begin(), column.second.end());
    for (size_t i = 0; i + 1 < column.second.size(); ++i) {
      INFO("the column at x=" << column.first << ", y=" << column.second[i].first);
      CHECK(column.second[i].second < column.second[i + 1].first);
    }
  }
  double right = -1e9;
  for (const auto& column : columns) {
    const double x = column.first, left = column.second.first;
    INFO("the column at x=" << x);
    CHECK(left > right);
    right = column.second.second;
  }
  return d;
}

}  // namespace faultline::reports::testing
