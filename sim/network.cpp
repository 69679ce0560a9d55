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

std::string_view to_string(LatencyModel::Shape shape) {
  switch (shape) {
    case LatencyModel::Shape::kConstant:
      return "constant";
    case LatencyModel::Shape::kUniform:
      return "uniform";
    case LatencyModel::Shape::kExponential:
      return "exponential";
  }
  return "?";
}

LinkTable::LinkTable(const NetworkOptions& options) {
  params_.push_back(LinkParams{options.latency, options.loss, options.duplicate});
  if (options.links.empty()) return;
  for (const LinkOverride& o : options.links) {
    involved_.insert(involved_.end(), o.from.begin(), o.from.end());
    involved_.insert(involved_.end(), o.to.begin(), o.to.end());
  }
  std::sort(involved_.begin(), involved_.end());
  involved_.erase(std::unique(involved_.begin(), involved_.end()), involved_.end());
  if (involved_.empty()) return;  // overrides that name no node change no link
  rows_.assign(static_cast<size_t>(involved_.back()) + 1, kNone);
  for (size_t i = 0; i < involved_.size(); ++i) rows_[involved_[i]] = static_cast<uint32_t>(i);
  const size_t k = involved_.size();
  cells_.assign(k * k, 0);
  named_.assign(k * k, false);
  // Each override in order rewrites the cells it names: the later wins. Settings are interned, so
  // the table holds as many as there are distinct links, not one per cell.
  auto apply = [&](const LinkOverride& o, NodeId from, NodeId to) {
    const size_t index = rows_[from] * k + rows_[to];
    named_[index] = true;
    uint32_t& cell = cells_[index];
    LinkParams p = params_[cell];
    if (o.latency) p.latency = *o.latency;
    if (o.loss) p.loss = *o.loss;
    if (o.duplicate) p.duplicate = *o.duplicate;
    auto it = std::find(params_.begin(), params_.end(), p);
    cell = static_cast<uint32_t>(it - params_.begin());
    if (it == params_.end()) params_.push_back(p);
  };
  for (const LinkOverride& o : options.links) {
    for (NodeId from : o.from) {
      for (NodeId to : o.to) {
        apply(o, from, to);
        if (o.both_ways) apply(o, to, from);
      }
    }
  }
}

std::vector<std::pair<Link, LinkParams>> LinkTable::overridden() const {
  std::vector<std::pair<Link, LinkParams>> out;
  const size_t k = involved_.size();
  for (size_t f = 0; f < k; ++f) {
    for (size_t t = 0; t < k; ++t) {
      if (named_[f * k + t]) {
        out.push_back({Link{involved_[f], involved_[t]}, params_[cells_[f * k + t]]});
      }
    }
  }
  return out;
}

std::vector<Link> LinkTable::changed(const LinkTable& before, const LinkTable& after) {
  std::vector<NodeId> nodes = before.involved_;
  nodes.insert(nodes.end(), after.involved_.begin(), after.involved_.end());
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  std::vector<Link> out;
  for (NodeId from : nodes) {
    for (NodeId to : nodes) {
      if (!(before.at(from, to) == after.at(from, to))) out.push_back(Link{from, to});
    }
  }
  return out;
}

std::string link_end_name(NodeId node, const std::vector<std::string>& names) {
  return node < names.size() ? names[node] : std::to_string(node);
}

nlohmann::json latency_json(const LatencyModel& l) {
  return {{"shape", to_string(l.shape)},
          {"min", l.min.ns()},
          {"max", l.max.ns()},
          {"mean", l.mean.ns()}};
}

nlohmann::json network_json(const NetworkOptions& options, const std::vector<std::string>& names) {
  nlohmann::json out = {{"latency", latency_json(options.latency)},
                        {"loss", options.loss.value()},
                        {"duplicate", options.duplicate.value()},
                        {"fifo", options.fifo_links}};
  // Only with overrides: a network without them is written as it always was (trace hashes).
  if (!options.links.empty()) {
    nlohmann::json links = nlohmann::json::array();
    for (const auto& [link, params] : LinkTable(options).overridden()) {
      links.push_back({{"from", link_end_name(link.from, names)},
                       {"to", link_end_name(link.to, names)},
                       {"latency", latency_json(params.latency)},
                       {"loss", params.loss.value()},
                       {"duplicate", params.duplicate.value()}});
    }
    out["links"] = std::move(links);
  }
  return out;
}

}  // namespace faultline::sim
