#include "reports/mermaid_diagram.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/format_ns.hpp"
#include "reports/event_text.hpp"
#include "reports/fault_spans.hpp"
#include "reports/interval_spans.hpp"
#include "reports/message_label.hpp"

namespace faultline::reports {

namespace {

using sim::TraceKind;

// A band behind what the findings are about, and a stronger one behind a violation.
constexpr const char* kHighlightBand = "rect rgb(255, 232, 232)";
constexpr const char* kViolationBand = "rect rgb(255, 196, 196)";
// Behind everything that happens while a partition is in force.
constexpr const char* kPartitionBand = "rect rgb(255, 236, 204)";

bool is_message(TraceKind kind) {
  return kind == TraceKind::kSend || kind == TraceKind::kDeliver || kind == TraceKind::kDrop;
}

class MermaidWriter {
 public:
  MermaidWriter(std::ostream& out, const std::vector<TraceRecord>& records,
                const DiagramFocus& focus)
      : out_(out), records_(records), focus_(focus) {}

  void write(const std::string& title) {
    const DiagramSelection selection = select_diagram(records_, focus_);
    const std::vector<size_t>& chosen = selection.events;
    // A causal slice's folded rows are drawn among the events, at their first record.
    std::vector<std::pair<size_t, const FoldedRun*>> steps;
    for (size_t p : chosen) steps.push_back({p, nullptr});
    for (const FoldedRun& run : selection.folds) {
      steps.push_back({run.position, &run});
      for (size_t p : run.members) folded_.insert(p);
    }
    std::sort(steps.begin(), steps.end());
    std::vector<size_t> drawn;
    for (const auto& step : steps) drawn.push_back(step.first);
    find_spans(drawn);
    name_participants(drawn);
    intervals_ = interval_spans(records_);
    find_sends(chosen);
    if (!title.empty()) out_ << "---\ntitle: " << mermaid_text(title) << "\n---\n";
    out_ << "sequenceDiagram\n";
    for (size_t i = 0; i < participants_.size(); ++i) {
      out_ << "  participant P" << i << " as " << mermaid_text(participants_[i]) << "\n";
    }
    const std::set<uint64_t> highlighted(focus_.highlight_event_indices.begin(),
                                         focus_.highlight_event_indices.end());
    if (selection.cut_rows > 0) note(over_everyone(), cut_marker(selection));
    size_t previous = SIZE_MAX;
    for (const auto& step : steps) {
      const size_t p = step.first;
      note_elided(previous, p);
      spans_between(previous, p);
      intervals_between(previous, p);
      previous = p;
      if (step.second) {
        flush_timers();
        set_band(nullptr);
        const FoldedRun& run = *step.second;
        note(run.peer.empty() ? id(run.node) : id(run.node) + "," + id(run.peer),
             format_ns(records_[p].at_ns) + " " + run.text());
        continue;
      }
      const TraceRecord& r = records_[p];
      if (r.kind == TraceKind::kTimer) {
        add_timer(r);
        continue;
      }
      flush_timers();
      // A span that ends here closes before its last note (a pause's bar stops above "resume",
      // a partition's band takes in "heal"); one that begins here opens around its first.
      std::string suffix;
      bool partition_ends = false;
      for (size_t s = 0; s < spans_.size(); ++s) {
        if (spans_[s].end != p || state_[s] != kOpen) continue;
        state_[s] = kDone;
        suffix = " — " + span_text(spans_[s]);
        if (spans_[s].kind == FaultSpan::Kind::kPartition) {
          partition_ends = true;
          --partitions_;
        } else {
          set_band(nullptr);
          out_ << "  deactivate " << id(spans_[s].node) << "\n";
        }
      }
      std::vector<size_t> starting;
      for (size_t s = 0; s < spans_.size(); ++s) {
        if (spans_[s].start == p && state_[s] == kNotYet) starting.push_back(s);
      }
      for (size_t s : starting) {
        // A partition's note names its sides already.
        suffix = " — " + span_text(spans_[s], spans_[s].kind == FaultSpan::Kind::kPartition);
        if (spans_[s].kind == FaultSpan::Kind::kPartition && partitions_++ == 0 &&
            !partition_ends) {
          open_partition_band();
        }
      }
      const bool violation = r.kind == TraceKind::kViolation;
      set_band(violation ? kViolationBand : highlighted.count(r.index) ? kHighlightBand : nullptr);
      write_event(r, suffix);
      if (partition_ends && partitions_ == 0) close_partition_band();
      for (size_t s : starting) {
        state_[s] = kOpen;
        if (spans_[s].kind != FaultSpan::Kind::kPartition) activate(spans_[s].node);
      }
    }
    flush_timers();
    note_elided(previous, records_.size());
    // What is still in force when the diagram stops runs to its bottom.
    for (size_t s = 0; s < spans_.size(); ++s) {
      if (state_[s] == kOpen) close_clipped(s);
    }
    set_band(nullptr);
  }

 private:
  void name_participants(const std::vector<size_t>& chosen) {
    auto add = [&](const std::string& name) {
      if (name.empty() || ids_.count(name)) return;
      ids_[name] = participants_.size();
      participants_.push_back(name);
    };
    for (const std::string& name : focus_.nodes) add(name);
    for (size_t p : chosen) {
      add(records_[p].node);
      if (is_message(records_[p].kind)) add(records_[p].peer);
    }
    for (const FaultSpan& span : spans_) add(span.node);  // down throughout the window
    if (participants_.empty()) add("world");
  }

  // The true time an event is drawn at: a violation at the time it names.
  int64_t drawn_at(const TraceRecord& r) const {
    int64_t at = r.at_ns;
    if (r.kind != TraceKind::kViolation) return at;
    for (const Finding& mark : focus_.violations) {
      if (mark.trace_index == r.index) at = std::min(at, mark.at_ns);
    }
    return at;
  }

  // The spans in force at some instant drawn (as the DOT diagram's); Mermaid draws a node's as
  // an activation bar on its lifeline and partitions as a band across every lifeline.
  void find_spans(const std::vector<size_t>& chosen) {
    std::vector<int64_t> drawn_times;
    for (size_t p : chosen) {
      chosen_.insert(p);
      drawn_times.push_back(drawn_at(records_[p]));
    }
    std::sort(drawn_times.begin(), drawn_times.end());
    if (!drawn_times.empty()) last_ns_ = drawn_times.back();
    for (const FaultSpan& span : fault_spans(records_)) {
      auto during = std::lower_bound(drawn_times.begin(), drawn_times.end(), span.start_ns);
      if (during != drawn_times.end() && (span.open() || *during <= span.end_ns)) {
        spans_.push_back(span);
      }
    }
    state_.assign(spans_.size(), kNotYet);
  }

  // "paused 15s", with the end that is not drawn: "(since 50ms)", "(until 15.05s)".
  std::string span_text(const FaultSpan& span, bool length_only = false) const {
    std::string text = length_only ? span_length(span, last_ns_) : span_label(span, last_ns_);
    if (!chosen_.count(span.start)) text += " (since " + format_ns(span.start_ns) + ")";
    if (!span.open() && !chosen_.count(span.end)) {
      text += " (until " + format_ns(span.end_ns) + ")";
    }
    return text;
  }

  std::string over(const FaultSpan& span) const {
    return span.node.empty() ? over_everyone() : id(span.node);
  }

  void activate(const std::string& node) { out_ << "  activate " << id(node) << "\n"; }

  void open_partition_band() {
    set_band(nullptr);  // the highlight bands nest inside it
    out_ << "  " << kPartitionBand << "\n";
  }

  void close_partition_band() {
    set_band(nullptr);
    out_ << "  end\n";
  }

  // A span whose end is not drawn: its bar stops here, under a note saying when it ended.
  void close_clipped(size_t s) {
    flush_timers();
    set_band(nullptr);
    state_[s] = kDone;
    note(over(spans_[s]), span_text(spans_[s]));
    if (spans_[s].kind != FaultSpan::Kind::kPartition) {
      out_ << "  deactivate " << id(spans_[s].node) << "\n";
    } else if (--partitions_ == 0) {
      close_partition_band();
    }
  }

  // Spans that end or begin among the events elided before drawn event `next`: closed, then
  // opened under a note saying since when. One that begins and ends there is not drawn.
  void spans_between(size_t previous, size_t next) {
    const int64_t at = drawn_at(records_[next]);
    auto ended = [&](const FaultSpan& span) {
      return !span.open() && span.end < next && span.end_ns <= at;
    };
    for (size_t s = 0; s < spans_.size(); ++s) {
      if (state_[s] == kOpen && ended(spans_[s])) close_clipped(s);
    }
    for (size_t s = 0; s < spans_.size(); ++s) {
      const FaultSpan& span = spans_[s];
      if (state_[s] != kNotYet || span.start >= next || span.start_ns > at) continue;
      if (ended(span) || (previous != SIZE_MAX && span.start < previous)) {
        state_[s] = kDone;
        continue;
      }
      flush_timers();
      state_[s] = kOpen;
      if (span.kind == FaultSpan::Kind::kPartition) {
        if (partitions_++ == 0) open_partition_band();
      } else {
        set_band(nullptr);
      }
      note(over(span), span_text(span));
      if (span.kind != FaultSpan::Kind::kPartition) activate(span.node);
    }
  }

  // The send record of each message whose end is drawn: its payload labels the arrow. A send
  // whose end is drawn is not drawn itself (the arrow stands for both).
  void find_sends(const std::vector<size_t>& chosen) {
    std::set<uint64_t> ending;
    for (size_t p : chosen) {
      const TraceRecord& r = records_[p];
      if (r.kind == TraceKind::kDeliver || r.kind == TraceKind::kDrop) ending.insert(r.message_id);
    }
    for (const TraceRecord& r : records_) {
      if (r.kind == TraceKind::kSend && ending.count(r.message_id)) sends_[r.message_id] = &r;
    }
  }

  std::string id(const std::string& name) const {
    auto it = ids_.find(name.empty() ? "world" : name);
    return it == ids_.end() ? "P0" : "P" + std::to_string(it->second);
  }

  std::string over_everyone() const {
    return participants_.size() == 1 ? "P0" : "P0,P" + std::to_string(participants_.size() - 1);
  }

  void set_band(const char* band) {
    if (band == band_) return;
    if (band_) out_ << "  end\n";
    if (band) out_ << "  " << band << "\n";
    band_ = band;
  }

  void note(const std::string& over, const std::string& text) {
    out_ << "  Note over " << over << ": " << mermaid_text(text) << "\n";
  }

  // The protocol intervals (leases) of the participants that begin or end before drawn event
  // `next` and after the one before it, each as a note on its node's lifeline; before the first
  // drawn event, those in force then ("since ...").
  void intervals_between(size_t previous, size_t next) {
    for (const IntervalSpan& span : intervals_) {
      if (!ids_.count(span.node) || span.start >= next) continue;
      const bool ended = !span.open() && span.end < next;
      std::string text;
      if (previous == SIZE_MAX) {
        if (ended) continue;
        text = interval_label(span) + ", since " + format_ns(span.start_ns);
      } else if (span.start > previous) {
        text = interval_label(span) +
               (ended ? " (" + format_ns(span.start_ns) + " to " + format_ns(span.end_ns) + ")"
                      : " from " + format_ns(span.start_ns));
      } else if (ended && span.end > previous) {
        text = span.label + " ends at " + format_ns(span.end_ns) +
               (span.why == "deadline" ? ": its clock passed " + format_ns(span.until_ns)
                : span.why == "crash"  ? ": crash"
                                       : ": ended by its node");
      } else {
        continue;
      }
      flush_timers();
      set_band(nullptr);
      out_ << "  Note right of " << id(span.node) << ": " << mermaid_text(text) << "\n";
    }
  }

  // Events the window leaves out between two drawn ones, as the DOT diagram's elision markers.
  void note_elided(size_t previous, size_t next) {
    size_t skipped = 0;
    for (size_t p = previous == SIZE_MAX ? 0 : previous + 1; p < next; ++p) {
      if (folded_.count(p)) continue;  // counted by its folded row
      const TraceKind k = records_[p].kind;
      if (!sim::is_bookkeeping(k)) ++skipped;
    }
    if (skipped == 0) return;
    flush_timers();
    set_band(nullptr);
    note(over_everyone(), "… " + std::to_string(skipped) + (skipped == 1 ? " event" : " events"));
  }

  void add_timer(const TraceRecord& r) {
    if (timer_count_ > 0 && timer_node_ != r.node) flush_timers();
    if (timer_count_ == 0) timer_at_ = r.at_ns;
    timer_node_ = r.node;
    ++timer_count_;
  }

  void flush_timers() {
    if (timer_count_ == 0) return;
    set_band(nullptr);
    note(id(timer_node_), format_ns(timer_at_) + " timer" +
                              (timer_count_ > 1 ? " ×" + std::to_string(timer_count_) : ""));
    timer_count_ = 0;
  }

  void write_event(const TraceRecord& r, const std::string& suffix) {
    switch (r.kind) {
      case TraceKind::kSend:
        // Its end is outside the window: an open arrow, the message still on its way.
        if (!sends_.count(r.message_id)) {
          out_ << "  " << id(r.node) << "-)" << id(r.peer) << ": "
               << mermaid_text(message_label(r.data)) << "\n";
        }
        return;
      case TraceKind::kDeliver:
      case TraceKind::kDrop: {
        auto send = sends_.find(r.message_id);
        const std::string label = message_label(send != sends_.end() ? send->second->data : r.data);
        const bool lost = r.kind == TraceKind::kDrop;
        out_ << "  " << id(r.peer) << (lost ? "-x" : "->>") << id(r.node) << ": "
             << mermaid_text(lost ? label + " ✗ " + r.detail : label) << "\n";
        return;
      }
      case TraceKind::kViolation:
        violation(r);
        return;
      default:
        note(r.node.empty() ? over_everyone() : id(r.node),
             format_ns(r.at_ns) + " " + note_text(r) + suffix);
    }
  }

  // Over the nodes the violation involves (the focus's), else over every lifeline.
  void violation(const TraceRecord& r) {
    size_t low = SIZE_MAX, high = 0;
    for (const std::string& name : focus_.nodes) {
      auto it = ids_.find(name);
      if (it == ids_.end()) continue;
      low = std::min(low, it->second);
      high = std::max(high, it->second);
    }
    int64_t at = r.at_ns;
    for (const Finding& mark : focus_.violations) {
      if (mark.trace_index == r.index) at = mark.at_ns;
    }
    const std::string over = low == SIZE_MAX ? over_everyone()
                             : low == high
                                 ? "P" + std::to_string(low)
                                 : "P" + std::to_string(low) + ",P" + std::to_string(high);
    note(over, format_ns(at) + " VIOLATION " + r.detail);
  }

  std::ostream& out_;
  const std::vector<TraceRecord>& records_;
  const DiagramFocus& focus_;
  std::vector<std::string> participants_;
  std::map<std::string, size_t> ids_;
  std::map<uint64_t, const TraceRecord*> sends_;
  const char* band_ = nullptr;
  enum SpanState { kNotYet, kOpen, kDone };
  std::vector<FaultSpan> spans_;         // those reaching into the drawn instants, by start
  std::vector<IntervalSpan> intervals_;  // every protocol interval of the trace, by start
  std::vector<SpanState> state_;
  std::set<size_t> chosen_;
  std::set<size_t> folded_;      // records a folded row stands for
  int64_t last_ns_ = INT64_MIN;  // the last instant drawn
  size_t partitions_ = 0;        // partition spans open: the partition band is open while any is
  std::string timer_node_;
  size_t timer_count_ = 0;
  int64_t timer_at_ = 0;
};

}  // namespace

std::string mermaid_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case ';':
        out += "#59;";
        break;
      case '#':
        out += "#35;";
        break;
      case '<':
        out += "#60;";
        break;
      case '>':
        out += "#62;";
        break;
      case '%':
        out += "#37;";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out;
}

void write_mermaid_sequence(std::ostream& out, const std::vector<TraceRecord>& records,
                            const DiagramFocus& focus, const std::string& title) {
  MermaidWriter(out, records, focus).write(title);
}

}  // namespace faultline::reports
