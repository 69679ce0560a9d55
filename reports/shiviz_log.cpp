#include "reports/shiviz_log.hpp"

#include <map>
#include <string>

#include "base/format_ns.hpp"
#include "reports/event_text.hpp"
#include "reports/message_label.hpp"

namespace faultline::reports {

namespace {

using sim::TraceKind;
using VectorClock = std::map<std::string, uint64_t>;  // sorted: the same text on every run

void merge_into(VectorClock& clock, const VectorClock& other) {
  for (const auto& [host, count] : other) {
    uint64_t& mine = clock[host];
    if (count > mine) mine = count;
  }
}

// One line of text: a detail may hold newlines, which would end ShiViz's event early.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

class ShivizWriter {
 public:
  ShivizWriter(std::ostream& out, const std::vector<TraceRecord>& records,
               const std::vector<Finding>& violations)
      : out_(out) {
    for (const Finding& v : violations) involved_[v.trace_index] = &v.involved;
    for (const TraceRecord& r : records) {
      if (r.kind == TraceKind::kSend) sends_[r.message_id] = &r;
    }
  }

  void write(const std::vector<TraceRecord>& records) {
    out_ << kShivizRegex << "\n\n";  // the expression, then no delimiter between executions
    for (const TraceRecord& r : records) {
      if (!sim::is_bookkeeping(r.kind)) event(r);
    }
  }

 private:
  void event(const TraceRecord& r) {
    // A lost message is the network's doing: the receiver never saw it.
    const std::string host =
        r.node.empty() || r.kind == TraceKind::kDrop ? kShivizWorldHost : r.node;
    VectorClock& clock = clocks_[host];
    if (r.kind == TraceKind::kDeliver) {
      auto sent = sent_clocks_.find(r.message_id);
      if (sent != sent_clocks_.end()) merge_into(clock, sent->second);
    }
    if (r.kind == TraceKind::kViolation) {
      auto names = involved_.find(r.index);
      if (names != involved_.end()) {
        for (const std::string& name : *names->second) {
          auto other = clocks_.find(name);
          if (other != clocks_.end() && name != host) merge_into(clock, other->second);
        }
      }
    }
    ++clock[host];
    if (r.kind == TraceKind::kSend) sent_clocks_[r.message_id] = clock;
    out_ << format_ns(r.at_ns) << ' ' << one_line(text(r)) << '\n' << host << ' ';
    write_clock(clock);
    out_ << '\n';
  }

  std::string text(const TraceRecord& r) const {
    switch (r.kind) {
      case TraceKind::kSend:
        return "send " + message_label(r.data) + " to " + r.peer;
      case TraceKind::kDeliver:
      case TraceKind::kDrop: {
        auto send = sends_.find(r.message_id);
        const std::string label = message_label(send != sends_.end() ? send->second->data : r.data);
        if (r.kind == TraceKind::kDeliver) return "deliver " + label + " from " + r.peer;
        return "lost " + label + " from " + r.peer + " to " + r.node +
               (r.detail.empty() ? "" : ": " + r.detail);
      }
      case TraceKind::kTimer:
        return "timer" + (r.detail.empty() ? "" : " " + r.detail);
      case TraceKind::kViolation:
        return "VIOLATION " + r.detail;
      default:
        return note_text(r);
    }
  }

  void write_clock(const VectorClock& clock) {
    out_ << '{';
    bool first = true;
    for (const auto& [host, count] : clock) {
      out_ << (first ? "" : ", ") << nlohmann::json(host).dump() << ':' << count;
      first = false;
    }
    out_ << '}';
  }

  std::ostream& out_;
  std::map<uint64_t, const std::vector<std::string>*> involved_;  // by violation record
  std::map<uint64_t, const TraceRecord*> sends_;                  // by message id
  std::map<uint64_t, VectorClock> sent_clocks_;                   // by message id
  std::map<std::string, VectorClock> clocks_;                     // by host
};

}  // namespace

void write_shiviz_log(std::ostream& out, const std::vector<TraceRecord>& records,
                      const std::vector<Finding>& violations) {
  ShivizWriter(out, records, violations).write(records);
}

}  // namespace faultline::reports
