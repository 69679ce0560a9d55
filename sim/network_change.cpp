#include "sim/network_change.hpp"

#include <cstdio>

#include "base/format_ns.hpp"

namespace faultline::sim {
namespace {

// The most links a record names one by one; a partition-sized change is counted instead.
constexpr size_t kLinksNamed = 3;

// What differs between two settings of a link (or of the world): "latency A → B", "loss …".
std::vector<std::string> params_change(const LinkParams& before, const LinkParams& after) {
  std::vector<std::string> parts;
  if (before.latency != after.latency)
    parts.push_back("latency " + describe_latency(before.latency) + " → " +
                    describe_latency(after.latency));
  if (before.loss != after.loss)
    parts.push_back("loss " + describe_probability(before.loss) + " → " +
                    describe_probability(after.loss));
  if (before.duplicate != after.duplicate)
    parts.push_back("duplicate " + describe_probability(before.duplicate) + " → " +
                    describe_probability(after.duplicate));
  return parts;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

}  // namespace

std::string describe_latency(const LatencyModel& l) {
  switch (l.shape) {
    case LatencyModel::Shape::kConstant:
      return "constant " + format_ns(l.min.ns());
    case LatencyModel::Shape::kUniform:
      return "uniform " + format_ns(l.min.ns()) + ".." + format_ns(l.max.ns());
    case LatencyModel::Shape::kExponential:
      return "exponential " + format_ns(l.min.ns()) + " + mean " + format_ns(l.mean.ns()) +
             ", at most " + format_ns(l.max.ns());
  }
  return "?";
}

std::string describe_probability(Probability p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", p.value() * 100);
  std::string s = text;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "%";
}

std::string describe_network_change(const NetworkOptions& before, const NetworkOptions& after,
                                    const LinkTable& before_links, const LinkTable& after_links,
                                    const std::vector<Link>& changed,
                                    const std::vector<std::string>& names) {
  std::vector<std::string> parts =
      params_change(LinkParams{before.latency, before.loss, before.duplicate},
                    LinkParams{after.latency, after.loss, after.duplicate});
  if (before.fifo_links != after.fifo_links)
    parts.push_back(after.fifo_links ? "links FIFO" : "links reorder");
  for (size_t i = 0; i < changed.size() && i < kLinksNamed; ++i) {
    const Link& l = changed[i];
    const std::vector<std::string> link =
        params_change(before_links.at(l.from, l.to), after_links.at(l.from, l.to));
    parts.push_back(link_end_name(l.from, names) + "→" + link_end_name(l.to, names) + " " +
                    joined(link, ", "));
  }
  if (changed.size() > kLinksNamed)
    parts.push_back("and " + std::to_string(changed.size() - kLinksNamed) + " more links");
  return parts.empty() ? "unchanged" : joined(parts, ", ");
}

}  // namespace faultline::sim
