#include "reports/interval_spans.hpp"

#include <map>
#include <utility>

#include "base/format_ns.hpp"

namespace faultline::reports {

using sim::TraceKind;

std::string rounded_ns(int64_t ns) {
  const int64_t unit = (ns >= 100'000'000 || ns <= -100'000'000) ? 1'000'000 : 1'000;
  const int64_t half = ns >= 0 ? unit / 2 : -unit / 2;
  return format_ns((ns + half) / unit * unit);
}

IntervalDeadline interval_deadline(const TraceRecord& record) {
  if (!record.data.is_object()) return {};
  return {record.data.value("until", int64_t{0}),
          record.data.value("clock", std::string()) == "wall"};
}

namespace {

const char* why_text(const std::string& why) {
  if (why == "deadline") return "its clock passed the deadline";
  if (why == "ended") return "its protocol ended it";
  if (why == "crash") return "a crash ended it";
  return "";
}

}  // namespace

std::vector<IntervalSpan> interval_spans(const std::vector<TraceRecord>& records) {
  std::vector<IntervalSpan> spans;
  std::map<std::pair<std::string, std::string>, size_t> open;  // (node, label) -> its span
  for (size_t p = 0; p < records.size(); ++p) {
    const TraceRecord& r = records[p];
    if (!sim::is_interval(r.kind)) continue;
    const auto key = std::make_pair(r.node, r.detail);
    auto it = open.find(key);
    if (r.kind == TraceKind::kIntervalEnd) {
      if (it == open.end()) continue;
      IntervalSpan& span = spans[it->second];
      span.end = p;
      span.end_ns = r.at_ns;
      span.why = r.data.is_object() ? r.data.value("why", std::string()) : std::string();
      open.erase(it);
      continue;
    }
    const IntervalDeadline deadline = interval_deadline(r);
    if (it != open.end()) {
      ++spans[it->second].moves;
      spans[it->second].until_ns = deadline.until_ns;
      continue;
    }
    IntervalSpan span;
    span.node = r.node;
    span.label = r.detail;
    span.wall = deadline.wall;
    span.start = p;
    span.start_ns = r.at_ns;
    span.until_ns = deadline.until_ns;
    open.emplace(key, spans.size());
    spans.push_back(std::move(span));
  }
  return spans;
}

std::string interval_label(const IntervalSpan& span) {
  std::string text = span.label;
  if (span.moves > 0) text += ", renewed " + std::to_string(span.moves) + "×,";
  return text + " until " + rounded_ns(span.until_ns) +
         (span.wall ? " (its wall clock)" : " (its clock)");
}

std::string interval_tooltip(const IntervalSpan& span) {
  std::string text = span.node + ": " + interval_label(span) + "\nheld from " +
                     format_ns(span.start_ns) + " true time";
  if (span.open()) return text + ", still at the end of the trace";
  return text + " to " + format_ns(span.end_ns) + " (" + format_ns(span.end_ns - span.start_ns) +
         "): " + why_text(span.why);
}

}  // namespace faultline::reports
