#include "reports/clock_spans.hpp"

#include <map>

#include "base/format_ns.hpp"
#include "reports/step_through.hpp"

namespace faultline::reports {

std::vector<ClockSpan> clock_spans(const std::vector<TraceRecord>& records) {
  std::vector<ClockSpan> spans;
  std::map<std::string, size_t> open;  // node -> its open span in `spans`
  RunState state;
  auto follow = [&](const std::string& name, const NodeState& node, size_t p, int64_t at_ns) {
    const std::string clock = clock_text(node);
    auto it = open.find(name);
    if (it != open.end() && spans[it->second].clock == clock) return;
    if (it != open.end()) {
      spans[it->second].end = p;
      spans[it->second].end_ns = at_ns;
      open.erase(it);
    }
    if (clock.empty()) return;
    open[name] = spans.size();
    spans.push_back({name, clock, p, ClockSpan::kOpen, at_ns, 0});
  };
  for (size_t p = 0; p < records.size(); ++p) {
    const TraceRecord& r = records[p];
    state.apply(r);
    // The config record tells every node's clocks at the start; a node's own records, its own.
    if (r.kind == sim::TraceKind::kConfig) {
      for (const auto& [name, node] : state.nodes()) follow(name, node, p, r.at_ns);
    } else if (!r.node.empty()) {
      follow(r.node, state.nodes().at(r.node), p, r.at_ns);
    }
  }
  return spans;
}

std::string clock_span_label(const ClockSpan& span) {
  return "clock " + span.clock;
}

std::string clock_span_tooltip(const ClockSpan& span) {
  std::string text = span.node + ": " + clock_span_label(span) + "\nfrom " +
                     format_ns(span.start_ns) + " true time";
  if (span.open()) return text + " to the end of the trace";
  return text + " to " + format_ns(span.end_ns) + " (" + format_ns(span.end_ns - span.start_ns) +
         ")";
}

}  // namespace faultline::reports
