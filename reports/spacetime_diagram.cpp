#include "reports/spacetime_diagram.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "base/format_ns.hpp"
#include "reports/clock_spans.hpp"
#include "reports/fault_spans.hpp"
#include "reports/interval_spans.hpp"
#include "reports/message_label.hpp"
#include "reports/text_width.hpp"

namespace faultline::reports {

namespace {

using sim::TraceKind;

constexpr int64_t kTop = std::numeric_limits<int64_t>::min();
constexpr int64_t kBottom = std::numeric_limits<int64_t>::max();
const std::string kWorldLifeline = "world";  // partitions, heals, violations: no node of their own
constexpr size_t kTooltipPayload = 600;      // bytes of a message's JSON its box's tooltip shows

std::string shorten(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t cut = limit - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 safe
  return text.substr(0, cut) + "...";
}

// Breaks long labels at spaces so a violation's explanation does not make one column 2 m wide.
std::string wrap(const std::string& text, size_t width) {
  std::string out;
  size_t column = 0;
  for (char c : text) {
    if (c == ' ' && column >= width) {
      out += '\n';
      column = 0;
      continue;
    }
    out += c;
    column = c == '\n' ? 0 : column + 1;
  }
  return out;
}

std::string scalar_text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct Look {
  std::string label;
  std::string attributes;     // colours and style
  std::string shape = "box";  // the node default
  double font_size = 9;       // the node default
};

Look look_of(const TraceRecord& r) {
  const std::string& d = r.detail;
  auto with = [&](const std::string& head) { return d.empty() ? head : head + " " + d; };
  switch (r.kind) {
    case TraceKind::kSend:
      return {message_label(r.data, 40) + " → " + r.peer, "fillcolor=\"#eef4fb\""};
    case TraceKind::kDeliver:
      return {message_type(r.data) + " ← " + r.peer, "fillcolor=\"#eef4fb\""};
    case TraceKind::kDrop:
      return {"✗ " + message_type(r.data) + " from " + r.peer + (d.empty() ? "" : " (" + d + ")"),
              "color=\"#d1242f\", fontcolor=\"#d1242f\", style=\"rounded,dashed\""};
    case TraceKind::kTimer:
      return {with("timer"), "fillcolor=\"#f4f4f4\"", "ellipse"};
    case TraceKind::kTimerSet:
    case TraceKind::kTimerCancel:
    case TraceKind::kConfig:
      return {std::string(sim::to_string(r.kind)), "fillcolor=\"#f4f4f4\"", "ellipse"};
    case TraceKind::kInterval:
    case TraceKind::kIntervalEnd:
      return {with(std::string(sim::to_string(r.kind))), "fillcolor=\"#ddf4ff\"", "ellipse"};
    case TraceKind::kStart:
      return {"start", "fillcolor=\"#d7f5dd\""};
    case TraceKind::kRestart:
      return {"restart", "fillcolor=\"#aee9b9\", style=\"filled,bold\""};
    case TraceKind::kCrash:
      return {"CRASH", "fillcolor=\"#24292f\", fontcolor=white, style=\"filled,bold\""};
    case TraceKind::kPause:
      return {with("pause"), "fillcolor=\"#ffd8a8\", style=\"filled,bold\""};
    case TraceKind::kResume:
      return {"resume", "fillcolor=\"#fff0db\""};
    case TraceKind::kPartition:
      return {with("partition"), "fillcolor=\"#ffd6d6\"", "hexagon"};
    case TraceKind::kHeal:
      return {with("heal"), "fillcolor=\"#d7f5dd\"", "hexagon"};
    case TraceKind::kClockJump:
      return {with("clock jump"), "fillcolor=\"#fff3a3\"", "cds"};
    case TraceKind::kClockDrift:
      return {with("clock drift"), "fillcolor=\"#fff3a3\"", "cds"};
    case TraceKind::kNetwork:
      return {with("network"), "fillcolor=\"#f4f4f4\"", "hexagon"};
    case TraceKind::kBuggify:
      return {with("buggify"), "fillcolor=\"#e9d8fd\"", "octagon"};
    case TraceKind::kNote:
      return {d, "fillcolor=\"#fffbe6\"", "note"};
    case TraceKind::kTrigger:
      return {"⚡ " + d, "fillcolor=\"#e9d8fd\"", "note"};
    case TraceKind::kOperation: {
      const auto& data = r.data;
      const std::string type =
          data.is_object() ? scalar_text(data.value("type", nlohmann::json())) : "";
      std::string label = type;
      if (data.is_object()) {
        for (const char* key : {"f", "value"}) {
          const std::string part = scalar_text(data.value(key, nlohmann::json()));
          if (!part.empty()) label += (label.empty() ? "" : " ") + part;
        }
      }
      const char* fill = type == "ok"     ? "#c8f0d0"
                         : type == "fail" ? "#ffd6d6"
                         : type == "info" ? "#e4e4e4"
                                          : "#cfe2ff";
      return {label.empty() ? "operation" : label,
              std::string("fillcolor=\"") + fill + "\", style=\"filled,bold\""};
    }
    case TraceKind::kViolation:
      return {"VIOLATION\n" + wrap(shorten(d, 400), 48),
              "fillcolor=\"#d1242f\", fontcolor=white, color=\"#82071e\", "
              "style=\"filled,bold\", penwidth=2.5",
              "box", 10};
  }
  return {d, ""};
}

// One thing drawn on a lifeline: an event, a marker standing for elided events, the end of a
// lifeline that a span runs off (a node still down when the diagram stops), or a cap: where a
// span begins or ends at an elided record inside the drawn instants.
struct Item {
  int64_t at_ns;
  size_t position;  // in the records, for ordering; markers use their first elided event
  size_t lifeline;
  const TraceRecord* event = nullptr;  // null: an elision marker, a tail or a cap
  std::string marker;                  // its text
  size_t row = 0;
  std::string id;
  bool tail = false;
  bool cap = false;
  bool fold = false;  // a causal slice's row of folded repeats, or where its bound cut
};

// How a span's stretch of lifeline is drawn: a thick bar in the colour of its marker boxes.
const char* span_style(FaultSpan::Kind kind) {
  switch (kind) {
    case FaultSpan::Kind::kPause:
      return "color=\"#f59f00\", penwidth=7, fontcolor=\"#9a4f00\"";
    case FaultSpan::Kind::kDown:
      return "color=\"#57606a\", penwidth=7, fontcolor=\"#24292f\"";
    case FaultSpan::Kind::kPartition:
      return "color=\"#ff8182\", penwidth=7, fontcolor=\"#a40e26\"";
  }
  return "";
}

// A span to draw: which one, on which lifeline, and whether it runs to the lifeline's bottom.
struct DrawnSpan {
  const FaultSpan* span;
  size_t lifeline;
  bool to_bottom;  // runs past the last thing drawn on its lifeline: to its bottom
};

// The title's account of a causal slice: how much of the past is drawn, folded and cut.
std::string slice_caption(const DiagramSelection& selection) {
  if (!selection.causal) return "";
  size_t folded = 0;
  for (const FoldedRun& run : selection.folds) folded += run.members.size();
  std::string text =
      ": the causal past of the violation (" + std::to_string(selection.past_events) + " events";
  if (folded > 0) text += ", " + std::to_string(folded) + " routine ones folded into counted rows";
  if (selection.cut_events > 0) text += ", " + std::to_string(selection.cut_events) + " not drawn";
  return text + ")";
}

// What hovering over an event's box shows: its trace index and time, and a message's whole
// payload, which its label shortens to the fields its type declares (reports/message_label.hpp).
std::string tooltip_of(const TraceRecord& r) {
  std::string text = "#" + std::to_string(r.index) + " at " + format_ns(r.at_ns);
  const bool message =
      r.kind == TraceKind::kSend || r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop;
  if (message && r.data.is_object()) {
    text += "\n" + shorten(r.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                           kTooltipPayload);
  }
  return text;
}

// What hovering over a message's arrow shows: what it carried, between whom, and how long it
// was in flight or where it was lost; its payload is on its boxes' tooltips.
std::string message_tooltip(const TraceRecord& send, const TraceRecord& end) {
  std::string text = message_label(send.data) + ": " + send.node + " → " + end.node + "\nsent " +
                     format_ns(send.at_ns);
  if (end.kind == TraceKind::kDrop) {
    text += ", lost " + format_ns(end.at_ns);
    if (!end.detail.empty()) text += " (" + end.detail + ")";
    return text;
  }
  return text + ", delivered " + format_ns(end.at_ns) + " (" + format_ns(end.at_ns - send.at_ns) +
         " in flight)";
}

std::string elided(size_t n, const char* which) {
  return "… " + std::to_string(n) + (which[0] ? std::string(" ") + which : "") +
         (n == 1 ? " event" : " events");
}

}  // namespace

std::string dot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out + "\"";
}

namespace {

// The window and highlights among the records the diagram can show (positions in `records`).
std::vector<size_t> select_among(const std::vector<TraceRecord>& records,
                                 const DiagramFocus& focus) {
  const size_t n = records.size();
  const size_t budget = std::max<size_t>(1, focus.max_events);
  std::vector<size_t> all(n);
  for (size_t p = 0; p < n; ++p) all[p] = p;
  if (n <= budget) return all;

  // The last event at or before the violation; most of the window shows what led to it.
  size_t anchor = n - 1;
  if (focus.violation_at_ns >= 0) {
    anchor = 0;
    while (anchor + 1 < n && records[anchor + 1].at_ns <= focus.violation_at_ns) ++anchor;
  }
  auto window = [&](size_t size) -> std::pair<size_t, size_t> {
    if (size == 0) return {0, 0};
    if (focus.violation_at_ns < 0) return {n - size, n};
    const size_t after = std::min(size / 5, n - 1 - anchor);
    const size_t begin = anchor + 1 + after >= size ? anchor + 1 + after - size : 0;
    return {begin, std::min(n, begin + size)};
  };

  // Violation records are always drawn; highlighted events outside the window compete for a
  // third of the budget, nearest the violation in time first; the window gives up as many places.
  const std::set<uint64_t> highlighted(focus.highlight_event_indices.begin(),
                                       focus.highlight_event_indices.end());
  std::vector<size_t> violations, highlights;
  for (size_t p = 0; p < n; ++p) {
    if (records[p].kind == TraceKind::kViolation) {
      violations.push_back(p);
    } else if (highlighted.count(records[p].index) != 0) {
      highlights.push_back(p);
    }
  }
  size_t begin = 0, end = 0;
  std::tie(begin, end) = window(budget);
  auto outside = [&](size_t p) { return p < begin || p >= end; };
  const size_t reserved =
      std::min<size_t>(std::count_if(violations.begin(), violations.end(), outside), budget);
  const size_t extra = std::min<size_t>(
      std::count_if(highlights.begin(), highlights.end(), outside), (budget - reserved) / 3);
  std::tie(begin, end) = window(budget - reserved - extra);
  const int64_t centre = records[anchor].at_ns;
  auto distance = [&](size_t p) {
    const int64_t d = records[p].at_ns - centre;
    return d < 0 ? -d : d;
  };
  std::vector<size_t> far;
  for (size_t p : highlights) {
    if (outside(p)) far.push_back(p);
  }
  std::stable_sort(far.begin(), far.end(),
                   [&](size_t a, size_t b) { return distance(a) < distance(b); });
  far.resize(std::min(far.size(), extra));
  for (size_t p : violations) {
    if (outside(p)) far.push_back(p);
  }
  // The smaller window may have let out more violations than were reserved: it gives way again.
  begin =
      std::min(end, begin + (far.size() > reserved + extra ? far.size() - reserved - extra : 0));

  std::vector<size_t> chosen;
  for (size_t p = begin; p < end; ++p) chosen.push_back(p);
  for (size_t p : far) {
    if (outside(p)) chosen.push_back(p);
  }
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  return chosen;
}

}  // namespace

DiagramSelection select_diagram(const std::vector<TraceRecord>& records,
                                const DiagramFocus& focus) {
  DiagramSelection selection;
  if (focus.causal_slice && !focus.violations.empty()) {
    std::vector<SliceSeed> seeds;
    for (const Finding& mark : focus.violations) {
      seeds.push_back({mark.trace_index, mark.at_ns, mark.involved});
    }
    CausalSlice slice = causal_slice(records, seeds, focus.max_events);
    selection.events = std::move(slice.events);
    selection.folds = std::move(slice.folds);
    selection.causal = true;
    selection.rows = slice.rows;
    selection.past_events = slice.past_events;
    selection.cut_rows = slice.cut_rows;
    selection.cut_events = slice.cut_events;
    return selection;
  }
  selection.events = select_diagram_events(records, focus);
  return selection;
}

std::string cut_marker(const DiagramSelection& selection) {
  const size_t n = selection.cut_events;
  return "✂ " + std::to_string(n) + " event" + (n == 1 ? "" : "s") +
         " of the causal past not drawn: routine rows and the oldest of each stretch first (run "
         "--diagram-events 0 draws all)";
}

std::vector<size_t> select_diagram_events(const std::vector<TraceRecord>& records,
                                          const DiagramFocus& focus) {
  if (focus.causal_slice && !focus.violations.empty()) return select_diagram(records, focus).events;
  // Bookkeeping for auditors (the configuration, timers armed and cancelled) is not drawn: the
  // window counts the records the diagram shows.
  std::vector<size_t> drawn;
  std::vector<TraceRecord> shown;
  for (size_t p = 0; p < records.size(); ++p) {
    const TraceKind k = records[p].kind;
    if (!sim::is_bookkeeping(k)) {
      drawn.push_back(p);
      shown.push_back(records[p]);
    }
  }
  std::vector<size_t> chosen = select_among(shown, focus);
  for (size_t& c : chosen) c = drawn[c];
  return chosen;
}

namespace {

// Whether `item` is drawn after the instant `at_ns` of the record at `position`. Items are
// ordered by time (a violation at the time it names), then by record; a marker of elided events
// stands at its first one, or at the top or bottom; a cap at its record.
bool drawn_after(const Item& item, int64_t at_ns, size_t position) {
  return item.at_ns != at_ns ? item.at_ns > at_ns : item.position > position;
}

// The item of `chain` (indices into `items`, in order) where an instant is on its lifeline: the
// record's own box or cap, or the last thing drawn before it (the marker of the elided events).
// 0 is the lifeline's head, i + 1 the chain's i-th item; tails stand for nothing.
size_t chain_anchor(const std::vector<size_t>& chain, const std::vector<Item>& items, int64_t at_ns,
                    size_t position) {
  size_t anchor = 0;
  for (size_t i = 0; i < chain.size(); ++i) {
    const Item& item = items[chain[i]];
    if (!item.tail && !drawn_after(item, at_ns, position)) anchor = i + 1;
  }
  return anchor;
}

// Where the spans go on each lifeline, worked out before anything is written. Edge k of a
// lifeline joins item k - 1 of its chain to item k (edge 0 starts at the head); the first span
// covering an edge styles it.
struct LifelinePlan {
  std::vector<size_t> chain;  // indices into the items, in order
  std::vector<const FaultSpan*> edge_span;
  std::vector<std::string> edge_label;
};

struct SpanPlan {
  std::vector<LifelinePlan> lifelines;
  // A span whose bar has no stretch with room beside it (a partition replaced a row later) says
  // how long it lasted in its start box instead, where a label would not overlap the next box.
  std::map<size_t, std::string> box_note;  // item index -> line added to its label
};

SpanPlan plan_spans(size_t lifelines, const std::vector<Item>& items,
                    const std::vector<DrawnSpan>& spans, const std::vector<bool>& shown,
                    int64_t last_ns) {
  SpanPlan plan;
  plan.lifelines.resize(lifelines);
  for (size_t i = 0; i < items.size(); ++i) plan.lifelines[items[i].lifeline].chain.push_back(i);
  for (LifelinePlan& lane : plan.lifelines) {
    lane.edge_span.assign(lane.chain.size(), nullptr);
    lane.edge_label.assign(lane.chain.size(), "");
  }
  for (const DrawnSpan& drawn : spans) {
    LifelinePlan& lane = plan.lifelines[drawn.lifeline];
    const std::vector<size_t>& chain = lane.chain;
    const FaultSpan& span = *drawn.span;
    const size_t from = chain_anchor(chain, items, span.start_ns, span.start);
    const size_t to =
        drawn.to_bottom ? chain.size() : chain_anchor(chain, items, span.end_ns, span.end);
    if (from >= to) continue;  // it began and ended among the same elided events
    for (size_t k = from; k < to; ++k) {
      if (!lane.edge_span[k]) lane.edge_span[k] = &span;
    }
    const std::string until =
        !span.open() && !shown[span.end] ? "\nuntil " + format_ns(span.end_ns) : std::string();
    // The label goes on the span's first edge with room beside it (a few rows long), near
    // where the span begins; else on its longest edge; else in its start box.
    constexpr size_t kRoomyRows = 3;
    auto rows = [&](size_t k) {
      return items[chain[k]].row - (k == 0 ? 0 : items[chain[k - 1]].row);
    };
    size_t at = from;
    for (size_t k = from; k < to && rows(at) < kRoomyRows; ++k) {
      if (rows(k) > rows(at)) at = k;
    }
    if (span.open() && span.start_ns >= last_ns) continue;  // nothing after it: no length
    if (rows(at) < 2 && from > 0 && shown[span.start]) {
      // The box names the fault already: a partition's sides, "pause", "CRASH".
      plan.box_note[chain[from - 1]] =
          (span.kind == FaultSpan::Kind::kPartition ? span_length(span, last_ns)
                                                    : span_label(span, last_ns)) +
          until;
      continue;
    }
    std::string label = span_label(span, last_ns);
    if (!shown[span.start]) label += "\nsince " + format_ns(span.start_ns);
    label += until;
    lane.edge_label[at] += (lane.edge_label[at].empty() ? "" : "\n") + label;
  }
  return plan;
}

// Lifelines: a straight segment from each thing on a column to the next (they share an x).
// Where a span covers a stretch, that stretch is a thick bar labelled beside it ("paused 15s");
// the rest is one thin chain.
void write_lifelines(std::ostream& out, const std::vector<Item>& items, const SpanPlan& plan) {
  for (size_t l = 0; l < plan.lifelines.size(); ++l) {
    const LifelinePlan& lane = plan.lifelines[l];
    const std::vector<size_t>& chain = lane.chain;
    auto name = [&](size_t k) { return k == 0 ? "h" + std::to_string(l) : items[chain[k - 1]].id; };
    for (size_t k = 0; k < chain.size();) {
      if (lane.edge_span[k]) {
        // A labelled edge on its own (a chain statement would repeat the label on every edge),
        // then the rest of the bar as one chain.
        const FaultSpan* span = lane.edge_span[k];
        out << "  " << name(k);
        if (!lane.edge_label[k].empty()) {
          out << " -> " << name(k + 1) << " [arrowhead=none, " << span_style(span->kind)
              << ", xlabel=" << dot_quote(lane.edge_label[k]) << "];\n";
          ++k;
          continue;
        }
        for (; k < chain.size() && lane.edge_span[k] == span && lane.edge_label[k].empty(); ++k) {
          out << " -> " << name(k + 1);
        }
        out << " [arrowhead=none, " << span_style(span->kind) << "];\n";
        continue;
      }
      out << "  " << name(k);
      for (; k < chain.size() && !lane.edge_span[k]; ++k) out << " -> " << name(k + 1);
      out << " [arrowhead=none, color=\"#afb8c1\"];\n";
    }
  }
}

// A node as written: its attributes (after its position) and the size they give it.
struct DrawnNode {
  std::string attributes;
  NodeSize size;
};

// Coordinates in the DOT: points, one decimal, the same text on every machine.
std::string fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// The grid the diagram is drawn on: columns side by side, rows stacked down the page, each as
// large as the largest thing in it plus a gap. A column's centre line is its lifeline; what is
// beside a bar (a span's label, which Graphviz puts to the left of it where there is room) widens
// the column on that side only.
class Layout {
 public:
  static constexpr double kColumnGap = 24;  // points between the widest boxes of two columns
  static constexpr double kRowGap = 10;     // points between the tallest boxes of two rows
  static constexpr double kLabelGap = 8;    // from a bar (7pt wide) to the label beside it

  Layout(size_t columns, size_t rows)
      : left_(columns, 0), right_(columns, 0), height_(rows, 0), x_(columns, 0), y_(rows, 0) {}

  void fit(size_t column, size_t row, const NodeSize& size) {
    left_[column] = std::max(left_[column], size.width / 2);
    right_[column] = std::max(right_[column], size.width / 2);
    height_[row] = std::max(height_[row], size.height);
  }
  void label_left(size_t column, double width) {
    left_[column] = std::max(left_[column], kLabelGap + width);
  }
  // Room to the right of everything in the column (once it is fitted), for labels that far out.
  void label_right(size_t column, double width) { right_[column] += kLabelGap + width; }
  double right(size_t column) const { return right_[column]; }
  void place() {
    double edge = 0;  // the right edge of the columns placed so far
    for (size_t c = 0; c < x_.size(); ++c) {
      x_[c] = edge + (c == 0 ? 0 : kColumnGap) + left_[c];
      edge = x_[c] + right_[c];
    }
    double top = 0;  // y grows down the page here; the DOT's y grows up (write_node negates)
    for (size_t r = 0; r < y_.size(); ++r) {
      y_[r] = top + height_[r] / 2;
      top += height_[r] + kRowGap;
    }
  }
  double x(size_t column) const { return x_[column]; }
  double y(size_t row) const { return y_[row]; }
  double height(size_t row) const { return height_[row]; }

 private:
  std::vector<double> left_, right_, height_, x_, y_;
};

// A thin bar beside a node's lifeline, where a fault's bar is thick and on it: a protocol
// interval (a lease, violet) or a stretch of its clocks off true time (amber). Each takes the
// first lane beside the lifeline free since the previous bar there ended, and its label stands
// in a column to the right of the boxes.
struct SideBar {
  std::string node;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  bool open = false;
  std::string label;
  std::string tooltip;
  const char* style = "";        // the bar's DOT attributes
  const char* label_color = "";  // its label's
};

struct DrawnBar {
  const SideBar* bar;
  size_t lifeline;
  size_t lane = 0;
  std::string label;  // wrapped
};

constexpr double kIntervalOffset = 7;  // points from the lifeline to the first lane's bar
constexpr double kIntervalLane = 5;    // between two lanes' bars
constexpr double kIntervalLabelLine = 11;

const char* interval_style(const IntervalSpan& span) {
  // Dashed when the deadline is on the wall clock, the one that jumps.
  return span.wall ? "color=\"#8250df\", penwidth=3, style=dashed, fontcolor=\"#6639ba\""
                   : "color=\"#8250df\", penwidth=3, fontcolor=\"#6639ba\"";
}
constexpr const char* kClockStyle = "color=\"#d4a72c\", penwidth=3, fontcolor=\"#7d4e00\"";

// Every side bar of the trace, by start: protocol intervals, then clocks off true time.
std::vector<SideBar> side_bars(const std::vector<TraceRecord>& records) {
  std::vector<SideBar> bars;
  for (const IntervalSpan& span : interval_spans(records)) {
    bars.push_back({span.node, span.start_ns, span.end_ns, span.open(), interval_label(span),
                    interval_tooltip(span), interval_style(span), "#6639ba"});
  }
  for (const ClockSpan& span : clock_spans(records)) {
    bars.push_back({span.node, span.start_ns, span.end_ns, span.open(), clock_span_label(span),
                    clock_span_tooltip(span), kClockStyle, "#7d4e00"});
  }
  std::stable_sort(bars.begin(), bars.end(),
                   [](const SideBar& a, const SideBar& b) { return a.start_ns < b.start_ns; });
  return bars;
}

// The bars of the nodes drawn that held at some instant drawn, each in its lane.
std::vector<DrawnBar> plan_bars(const std::vector<SideBar>& bars,
                                const std::map<std::string, size_t>& lifeline_of, int64_t first_ns,
                                int64_t last_ns) {
  std::vector<DrawnBar> drawn;
  std::map<size_t, std::vector<int64_t>> lane_free;  // lifeline -> when each lane frees up
  for (const SideBar& bar : bars) {
    auto l = lifeline_of.find(bar.node);
    if (l == lifeline_of.end() || bar.start_ns > last_ns) continue;
    if (!bar.open && bar.end_ns < first_ns) continue;
    std::vector<int64_t>& lanes = lane_free[l->second];
    const int64_t ends = bar.open ? kBottom : bar.end_ns;
    size_t lane = 0;
    while (lane < lanes.size() && lanes[lane] > bar.start_ns) ++lane;
    if (lane == lanes.size()) lanes.push_back(ends);
    lanes[lane] = ends;
    drawn.push_back({&bar, l->second, lane, wrap(bar.label, 28)});
  }
  return drawn;
}

// The y of true time `at` on the diagram: a row at that instant (its first for a bar's start,
// its last for an end), else halfway between the rows around it, above the first or below the
// last. `row_y` is each row's y, `row_time` its instant (both ascending).
double time_y(const std::vector<int64_t>& row_time, const std::vector<double>& row_y, int64_t at,
              bool start, double top, double bottom) {
  const auto lo = std::lower_bound(row_time.begin(), row_time.end(), at);
  const auto hi = std::upper_bound(row_time.begin(), row_time.end(), at);
  const auto i = static_cast<size_t>(lo - row_time.begin());
  const auto j = static_cast<size_t>(hi - row_time.begin());
  if (i < j) return start ? row_y[i] : row_y[j - 1];
  const double before = i == 0 ? top : row_y[i - 1];
  const double after = i == row_time.size() ? bottom : row_y[i];
  return (before + after) / 2;
}

}  // namespace

void write_spacetime_dot(std::ostream& out, const std::vector<TraceRecord>& records,
                         const DiagramFocus& focus, const std::string& title) {
  const DiagramSelection selection = select_diagram(records, focus);
  const std::vector<size_t>& chosen = selection.events;
  std::vector<bool> shown(records.size(), false);
  for (size_t p : chosen) shown[p] = true;
  // Records a folded row stands for: counted by their row, not by an elision marker.
  std::vector<bool> folded(records.size(), false);
  for (const FoldedRun& run : selection.folds) {
    for (size_t p : run.members) folded[p] = true;
  }
  const std::set<uint64_t> highlighted(focus.highlight_event_indices.begin(),
                                       focus.highlight_event_indices.end());

  std::map<uint64_t, int64_t> violation_time;
  for (const Finding& mark : focus.violations) violation_time[mark.trace_index] = mark.at_ns;
  auto drawn_at = [&](const TraceRecord& r) {
    auto it = r.kind == TraceKind::kViolation ? violation_time.find(r.index) : violation_time.end();
    return it == violation_time.end() ? r.at_ns : std::min(r.at_ns, it->second);
  };

  // The spans in force at some instant drawn, clipped to them: one that began before the first
  // or ends after the last is drawn from the top or to the bottom of its lifeline.
  std::vector<int64_t> drawn_times;
  for (size_t p : chosen) drawn_times.push_back(drawn_at(records[p]));
  for (const FoldedRun& run : selection.folds) drawn_times.push_back(records[run.position].at_ns);
  std::sort(drawn_times.begin(), drawn_times.end());
  const int64_t first_ns = drawn_times.empty() ? kBottom : drawn_times.front();
  const int64_t last_ns = drawn_times.empty() ? kTop : drawn_times.back();
  const std::vector<FaultSpan> spans = fault_spans(records);
  std::vector<const FaultSpan*> spans_drawn;
  for (const FaultSpan& span : spans) {
    auto during = std::lower_bound(drawn_times.begin(), drawn_times.end(), span.start_ns);
    if (during != drawn_times.end() && (span.open() || *during <= span.end_ns)) {
      spans_drawn.push_back(&span);
    }
  }

  // Lifelines: focus nodes first, then nodes in order of first appearance, then nodes whose only
  // part in the window is a span (down throughout it), the world last.
  std::vector<std::string> lifelines;
  std::map<std::string, size_t> lifeline_of;
  auto add_lifeline = [&](const std::string& name) {
    if (lifeline_of.try_emplace(name, lifelines.size()).second) lifelines.push_back(name);
  };
  for (const std::string& name : focus.nodes) add_lifeline(name);
  bool world_shown = false;
  std::vector<size_t> chosen_and_folds = chosen;
  for (const FoldedRun& run : selection.folds) chosen_and_folds.push_back(run.position);
  std::sort(chosen_and_folds.begin(), chosen_and_folds.end());
  for (size_t p : chosen_and_folds) {
    if (records[p].node.empty()) {
      world_shown = true;
    } else {
      add_lifeline(records[p].node);
    }
  }
  for (const FaultSpan* span : spans_drawn) {
    if (span->node.empty()) {
      world_shown = true;
    } else {
      add_lifeline(span->node);
    }
  }
  if (world_shown) add_lifeline(kWorldLifeline);
  auto lane = [&](const TraceRecord& r) -> const std::string& {
    return r.node.empty() ? kWorldLifeline : r.node;
  };

  // Items per lifeline: shown events, and one marker per run of elided ones.
  std::vector<Item> items;
  std::vector<size_t> run_start(lifelines.size(), 0), run_length(lifelines.size(), 0);
  std::vector<bool> seen_shown(lifelines.size(), false);
  auto flush_run = [&](size_t l, bool at_end) {
    if (run_length[l] == 0) return;
    const TraceRecord& first = records[run_start[l]];
    const char* which = !seen_shown[l] ? "earlier" : at_end ? "later" : "";
    const int64_t at = !seen_shown[l] ? kTop : at_end ? kBottom : first.at_ns;
    items.push_back({at, run_start[l], l, nullptr, elided(run_length[l], which), 0, ""});
    run_length[l] = 0;
  };
  size_t next_fold = 0;
  for (size_t p = 0; p < records.size(); ++p) {
    auto it = lifeline_of.find(lane(records[p]));
    if (it == lifeline_of.end()) continue;  // a lifeline with nothing in the window is not drawn
    const size_t l = it->second;
    while (next_fold < selection.folds.size() && selection.folds[next_fold].position <= p) {
      const FoldedRun& run = selection.folds[next_fold++];
      const size_t fl = lifeline_of.at(lane(records[run.position]));
      flush_run(fl, false);
      seen_shown[fl] = true;
      Item row{records[run.position].at_ns, run.position, fl, nullptr, run.text(), 0, ""};
      row.fold = true;
      items.push_back(row);
    }
    if (folded[p]) continue;
    // An interval's records are its bar: no marker stands for them.
    if (sim::is_interval(records[p].kind)) continue;
    if (shown[p]) {
      flush_run(l, false);
      seen_shown[l] = true;
      items.push_back({drawn_at(records[p]), p, l, &records[p], "", 0, ""});
    } else if (run_length[l]++ == 0) {
      run_start[l] = p;
    }
  }
  for (size_t l = 0; l < lifelines.size(); ++l) flush_run(l, true);
  if (selection.cut_rows > 0 && !lifelines.empty()) {
    Item cut{kTop, 0, 0, nullptr, cut_marker(selection), 0, ""};
    cut.fold = true;
    items.push_back(cut);
  }
  // A span that runs past the last drawn instant needs a bottom to run to: the lifeline's
  // "… later events" marker, or else a tail. One that begins or ends at an elided record among
  // the drawn instants (the window's events and a violation recorded at the end of the run but
  // drawn at the time it names; highlights far before the window) does so at a cap at its time.
  std::vector<DrawnSpan> span_items;
  std::vector<bool> has_bottom(lifelines.size(), false);
  for (const Item& item : items) {
    if (item.at_ns == kBottom) has_bottom[item.lifeline] = true;
  }
  auto add_cap = [&](size_t position, size_t l) {
    Item cap{records[position].at_ns, position, l, nullptr, "", 0, ""};
    cap.cap = true;
    items.push_back(cap);
  };
  for (const FaultSpan* span : spans_drawn) {
    const size_t l = lifeline_of.at(span->node.empty() ? kWorldLifeline : span->node);
    if (!shown[span->start] && span->start_ns > first_ns) add_cap(span->start, l);
    const bool to_bottom = span->open() || (!shown[span->end] && span->end_ns >= last_ns);
    if (!to_bottom && !shown[span->end]) add_cap(span->end, l);
    span_items.push_back({span, l, to_bottom});
    if (to_bottom && !has_bottom[l]) {
      has_bottom[l] = true;
      Item tail{kBottom, records.size() + l, l, nullptr, "", 0, ""};
      tail.tail = true;
      items.push_back(tail);
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.at_ns != b.at_ns ? a.at_ns < b.at_ns : a.position < b.position;
  });

  // Rows: one per instant of true time, split where a lifeline would need two items in one row
  // or a message would arrive in the row it was sent (zero latency still points downwards).
  std::vector<int64_t> row_time;
  std::set<size_t> row_lanes;
  std::set<uint64_t> row_sends;
  for (Item& item : items) {
    const bool arrival =
        item.event && item.event->message_id != 0 &&
        (item.event->kind == TraceKind::kDeliver || item.event->kind == TraceKind::kDrop);
    if (row_time.empty() || row_time.back() != item.at_ns || row_lanes.count(item.lifeline) ||
        (arrival && row_sends.count(item.event->message_id))) {
      row_time.push_back(item.at_ns);
      row_lanes.clear();
      row_sends.clear();
    }
    item.row = row_time.size() - 1;
    row_lanes.insert(item.lifeline);
    if (item.event && item.event->kind == TraceKind::kSend)
      row_sends.insert(item.event->message_id);
    item.id = item.event  ? "e" + std::to_string(item.event->index)
              : item.tail ? "t" + std::to_string(item.lifeline)
              : item.cap  ? "c" + std::to_string(records[item.position].index)
              : item.fold
                  ? "f" + std::to_string(item.lifeline) + "_" + std::to_string(item.position)
                  : "m" + std::to_string(item.lifeline) + "_" + std::to_string(item.position);
  }

  const SpanPlan plan = plan_spans(lifelines.size(), items, span_items, shown, last_ns);

  // Every node as written (its attributes after its position) and the size they give it.
  std::vector<DrawnNode> nodes(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    DrawnNode& node = nodes[i];
    if (item.tail || item.cap) {
      node.size = node_size("", 9, "point");
      node.attributes = "shape=point, width=0.08, color=\"#57606a\"";
      if (item.cap) {
        node.attributes +=
            ", tooltip=" + dot_quote("#" + std::to_string(records[item.position].index) + " " +
                                     std::string(sim::to_string(records[item.position].kind)) +
                                     " at " + format_ns(records[item.position].at_ns));
      }
    } else if (item.fold) {
      const std::string label = wrap(item.marker, 40);
      node.size = node_size(label, 9);
      node.attributes =
          "style=\"rounded,dashed\", color=\"#8c959f\", fontcolor=\"#57606a\", label=" +
          dot_quote(label);
    } else if (!item.event) {
      node.size = node_size(item.marker, 9, "plaintext");
      node.attributes =
          "shape=plaintext, style=\"\", fontcolor=\"#57606a\", label=" + dot_quote(item.marker);
    } else {
      const Look look = look_of(*item.event);
      // Violations come wrapped wider already (look_of); everything else wraps at 40.
      const bool wrapped = item.event->kind == TraceKind::kViolation;
      auto note = plan.box_note.find(i);
      const std::string label = (wrapped ? look.label : wrap(shorten(look.label, 160), 40)) +
                                (note == plan.box_note.end() ? "" : "\n" + note->second);
      node.size = node_size(label, look.font_size, look.shape);
      node.attributes = "label=" + dot_quote(label);
      if (look.shape != "box") node.attributes += ", shape=" + look.shape;
      if (look.font_size != 9) node.attributes += ", fontsize=" + fixed(look.font_size);
      if (!look.attributes.empty()) node.attributes += ", " + look.attributes;
      // A violation is already drawn in red; highlighting its text red would hide it.
      if (highlighted.count(item.event->index) && item.event->kind != TraceKind::kViolation) {
        node.attributes +=
            ", color=\"#d1242f\", penwidth=3, fontcolor=\"#d1242f\", fontname=\"Helvetica-Bold\"";
      }
      node.attributes += ", tooltip=" + dot_quote(tooltip_of(*item.event));
      // The SVG element's id, which the report's story links to (reports/html_report.cpp).
      node.attributes += ", id=\"ev_" + std::to_string(item.event->index) + "\"";
    }
  }
  // The header: the time axis's title, then one head per lifeline.
  DrawnNode time_head{"shape=plaintext, style=\"\", label=\"true time\"", {}};
  time_head.size = node_size("true time", 9, "plaintext");
  std::vector<DrawnNode> heads(lifelines.size());
  for (size_t l = 0; l < lifelines.size(); ++l) {
    const bool is_focus =
        std::find(focus.nodes.begin(), focus.nodes.end(), lifelines[l]) != focus.nodes.end();
    heads[l].attributes = "label=" + dot_quote(lifelines[l]) +
                          ", style=\"filled,bold\", fontsize=11, fillcolor=\"#dbe9f6\"" +
                          (is_focus ? ", color=\"#d1242f\", penwidth=2" : "");
    heads[l].size = node_size(lifelines[l], 11);
  }
  // The time axis: a row's time where it changes.
  std::vector<std::string> row_label(row_time.size());
  for (size_t r = 0; r < row_time.size(); ++r) {
    const int64_t t = row_time[r];
    const bool same = r > 0 && row_time[r - 1] == t;
    if (!same && t != kTop && t != kBottom) row_label[r] = format_ns(t);
  }

  // Columns (the time axis, then the lifelines) as wide as what they hold, rows as tall.
  Layout layout(lifelines.size() + 1, row_time.size() + 1);
  layout.fit(0, 0, time_head.size);
  for (size_t l = 0; l < lifelines.size(); ++l) layout.fit(l + 1, 0, heads[l].size);
  for (size_t r = 0; r < row_time.size(); ++r) {
    if (!row_label[r].empty()) layout.fit(0, r + 1, node_size(row_label[r], 9, "plaintext"));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    layout.fit(items[i].lifeline + 1, items[i].row + 1, nodes[i].size);
  }
  // A span's label stands beside its bar, to the left: room for it after the previous column.
  for (size_t l = 0; l < lifelines.size(); ++l) {
    for (const std::string& label : plan.lifelines[l].edge_label) {
      if (!label.empty()) layout.label_left(l + 1, node_size(label, 9, "plaintext").width);
    }
  }
  // Side bars' labels stand to the right of the column's boxes, at the row their bar begins.
  const std::vector<SideBar> bar_list = side_bars(records);
  const std::vector<DrawnBar> intervals = plan_bars(bar_list, lifeline_of, first_ns, last_ns);
  std::vector<double> boxes_right(lifelines.size() + 1, 0), label_width(lifelines.size() + 1, 0);
  for (size_t c = 0; c <= lifelines.size(); ++c) boxes_right[c] = layout.right(c);
  for (const DrawnBar& interval : intervals) {
    double& width = label_width[interval.lifeline + 1];
    width = std::max(width, node_size(interval.label, 9, "plaintext").width);
    boxes_right[interval.lifeline + 1] =
        std::max(boxes_right[interval.lifeline + 1],
                 kIntervalOffset + kIntervalLane * static_cast<double>(interval.lane) + 2);
  }
  for (size_t c = 0; c <= lifelines.size(); ++c) {
    if (label_width[c] > 0)
      layout.label_right(c, boxes_right[c] - layout.right(c) + label_width[c]);
  }
  layout.place();

  out << "// A space-time diagram with every node placed (pos, in points): render it with\n"
      << "// `neato -n2 -Tsvg diagram.dot`, which keeps the positions (layout=nop2 below asks the\n"
      << "// same of `dot -Tsvg`); other layouts would move the nodes.\n"
      << "digraph spacetime {\n"
      << "  graph [layout=nop2, splines=line, outputorder=edgesfirst, fontname=\"Helvetica\", "
         "fontsize=12, labelloc=t, label="
      << dot_quote((title.empty() ? "" : title + "\n") + "showing " +
                   std::to_string(chosen.size()) + " of " + std::to_string(records.size()) +
                   " events" + slice_caption(selection))
      << "];\n"
      << "  node [fontname=\"Helvetica\", fontsize=9, shape=box, style=\"rounded,filled\", "
         "fillcolor=white, height=0.22, margin=\"0.06,0.02\"];\n"
      << "  edge [arrowsize=0.6, fontname=\"Helvetica\", fontsize=9];\n";
  auto write_node = [&](const std::string& id, size_t column, size_t row,
                        const std::string& attributes) {
    out << "  " << id << " [pos=\"" << fixed(layout.x(column)) << "," << fixed(0.0 - layout.y(row))
        << "!\", " << attributes << "];\n";
  };
  write_node("time_head", 0, 0, time_head.attributes);
  for (size_t l = 0; l < lifelines.size(); ++l) {
    write_node("h" + std::to_string(l), l + 1, 0, heads[l].attributes);
  }
  // Row by row: the time on the axis, then the row's items (rows are runs of the sorted items).
  size_t next_item = 0;
  for (size_t r = 0; r < row_time.size(); ++r) {
    if (!row_label[r].empty()) {
      write_node(
          "r" + std::to_string(r), 0, r + 1,
          "shape=plaintext, style=\"\", fontcolor=\"#57606a\", label=" + dot_quote(row_label[r]));
    }
    for (; next_item < items.size() && items[next_item].row == r; ++next_item) {
      const Item& item = items[next_item];
      write_node(item.id, item.lifeline + 1, r + 1, nodes[next_item].attributes);
    }
  }

  write_lifelines(out, items, plan);

  // Intervals: a bar from an invisible point at its start to one at its end, beside the
  // lifeline, with its label out to the right of the column's boxes and a tooltip.
  std::vector<double> row_y(row_time.size());
  for (size_t r = 0; r < row_time.size(); ++r) row_y[r] = layout.y(r + 1);
  const double top = layout.y(0) + layout.height(0) / 2;
  const double bottom = (row_y.empty() ? top : row_y.back()) + Layout::kRowGap * 2;
  // A column's interval labels share one x, centred in the room kept for them, and go down the
  // page in order of their bars, each below the one before where two would meet.
  std::vector<double> labels_bottom(lifelines.size() + 1, -1e18);
  for (size_t k = 0; k < intervals.size(); ++k) {
    const DrawnBar& interval = intervals[k];
    const SideBar& span = *interval.bar;
    const size_t column = interval.lifeline + 1;
    const double x =
        layout.x(column) + kIntervalOffset + kIntervalLane * static_cast<double>(interval.lane);
    const double y0 = time_y(row_time, row_y, span.start_ns, true, top, bottom);
    const double y1 = span.open ? bottom : time_y(row_time, row_y, span.end_ns, false, top, bottom);
    const std::string id = "iv" + std::to_string(k);
    const std::string tooltip = dot_quote(span.tooltip);
    for (const auto& [end, y] : {std::pair{"a", y0}, {"b", y1}}) {
      out << "  " << id << end << " [pos=\"" << fixed(x) << "," << fixed(-y)
          << "!\", shape=point, width=0.01, style=invis, label=\"\"];\n";
    }
    out << "  " << id << "a -> " << id << "b [arrowhead=none, " << span.style
        << ", tooltip=" << tooltip << ", id=\"" << id << "\"];\n";
    const NodeSize size = node_size(interval.label, 9, "plaintext");
    const double label_y = std::max(y0 + size.height / 2 - kIntervalLabelLine / 2,
                                    labels_bottom[column] + 1 + size.height / 2);
    labels_bottom[column] = label_y + size.height / 2;
    out << "  " << id << "l [pos=\""
        << fixed(layout.x(column) + boxes_right[column] + Layout::kLabelGap +
                 label_width[column] / 2)
        << "," << fixed(-label_y) << "!\", shape=plaintext, style=\"\", fontcolor=\""
        << span.label_color << "\", label=" << dot_quote(interval.label) << ", tooltip=" << tooltip
        << "];\n";
  }

  // Messages: send -> deliver, send -> drop (dashed red). Both ends must be shown.
  std::map<uint64_t, const Item*> send_of;
  for (const Item& item : items) {
    if (item.event && item.event->kind == TraceKind::kSend && item.event->message_id != 0) {
      send_of[item.event->message_id] = &item;
    }
  }
  for (const Item& item : items) {
    if (!item.event || item.event->message_id == 0) continue;
    const bool drop = item.event->kind == TraceKind::kDrop;
    if (!drop && item.event->kind != TraceKind::kDeliver) continue;
    auto it = send_of.find(item.event->message_id);
    if (it == send_of.end()) continue;
    const bool hot =
        highlighted.count(item.event->index) || highlighted.count(it->second->event->index);
    out << "  " << it->second->id << " -> " << item.id << " [";
    if (drop) {
      out << "style=dashed, color=\"#d1242f\", arrowhead=tee";
    } else {
      out << "color=" << (hot ? "\"#d1242f\", penwidth=2.5" : "\"#0969da\"");
    }
    out << ", tooltip=" << dot_quote(message_tooltip(*it->second->event, *item.event)) << "];\n";
  }
  out << "}\n";
}

}  // namespace faultline::reports
