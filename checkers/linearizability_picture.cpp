#include "checkers/linearizability_picture.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "base/format_ns.hpp"
#include "base/markup_escape.hpp"
#include "checkers/linearizability_picture_script.hpp"

namespace faultline::checkers {
namespace {

// Geometry, in CSS pixels. The script (kPictureScript) reads what it needs from the SVG's data-*.
constexpr int kGutter = 96;  // the row labels' column
constexpr int kRight = 8;
constexpr int kAxis = 30;  // the time axis above the rows
constexpr int kRow = 22;
constexpr int kBar = 16;
constexpr double kCharWidth = 6.7;        // 11px monospace
constexpr std::size_t kListed = 300;      // steps listed beside the diagram
constexpr std::size_t kHoverState = 600;  // characters of a state kept on its bar
constexpr std::size_t kListState = 2000;  // and in the list

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// At most `n` characters (UTF-8 sequences), the last one an ellipsis when cut.
std::string clip(const std::string& s, std::size_t n) {
  if (n == 0) return "";
  std::size_t chars = 0, at = 0;
  for (; at < s.size(); ++at) {
    if ((static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) continue;
    if (chars == n) break;
    ++chars;
  }
  if (at >= s.size()) return s;
  std::size_t keep = 0;
  for (std::size_t c = 0; keep < s.size(); ++keep) {
    if ((static_cast<unsigned char>(s[keep]) & 0xC0) == 0x80) continue;
    if (c++ == n - 1) break;
  }
  return s.substr(0, keep) + "\xE2\x80\xA6";
}

std::string operations(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " operation" : " operations");
}

std::string label_of(const CallReturn& c) {
  std::string s = c.f + "(" + (c.input.is_null() ? "" : c.input.dump()) + ")";
  if (c.output_known && !c.output.is_null() && c.output != c.input) s += " -> " + c.output.dump();
  if (!c.output_known) s += " -> ?";
  return s;
}

// What the picture knows of one operation beyond the history.
struct Step {
  std::size_t number = 0;  // 1-based position in the order; 0: not in it
  std::string state;       // the model's state after it; empty: not described
};

// One partition as drawn: a window of its operations, by invoke, and the initial view.
struct Lane {
  std::size_t index = 0;  // in CheckResult::partitions
  std::string label;
  std::size_t total = 0;  // the partition's operations
  std::size_t first = 0;  // rank of ops.front() among them
  std::vector<std::size_t> ops;
  std::vector<std::size_t> order;  // numbered call ids, in order
  std::map<std::size_t, Step> steps;
  std::map<std::size_t, std::string> described;  // the model's words for an op, by call id
  std::optional<std::size_t> broken;
  std::vector<std::string> could_hold;
  std::vector<std::int64_t> rows;         // processes, in order
  double w0 = 0, w1 = 1, v0 = 0, v1 = 1;  // window and view, relative to the origin
};

struct Picture {
  const std::vector<CallReturn>& calls;
  const CheckResult& result;
  const PictureOptions& options;
  std::int64_t origin = 0;

  std::string who(std::int64_t process) const {
    return options.process_name ? options.process_name(process) : numbered_process(process);
  }
  double rel(std::int64_t t) const { return static_cast<double>(t - origin); }
  // An instant exactly, as the axis counts it: "1.5ms" after the origin, or "#12".
  std::string when(std::int64_t t) const {
    return options.timed ? format_ns(t - origin) : "#" + std::to_string(t - origin);
  }
  std::string text_of(const Lane& lane, std::size_t id) const {
    auto it = lane.described.find(id);
    return it != lane.described.end() ? it->second : label_of(calls.at(id));
  }
};

std::vector<Lane> lanes_of(const Picture& p) {
  const CheckResult& r = p.result;
  const std::size_t parts = std::max<std::size_t>(r.partitions.size(), 1);
  std::vector<std::vector<std::size_t>> members(parts);
  for (const CallReturn& c : p.calls) {
    std::size_t idx = c.id < r.partition_of.size() ? r.partition_of[c.id] : 0;
    members[std::min(idx, parts - 1)].push_back(c.id);
  }
  std::optional<std::size_t> failing;
  if (r.explanation) {
    for (std::size_t i = 0; i < r.partitions.size(); ++i) {
      if (r.partitions[i].label == r.explanation->partition) failing = i;
    }
    if (r.partitions.size() <= 1) failing = 0;
  }
  std::vector<std::size_t> shown;
  if (failing) shown.push_back(*failing);
  for (std::size_t i = 0; i < parts && shown.size() < kPicturePartitions; ++i) {
    if (i != failing && !members[i].empty()) shown.push_back(i);
  }

  std::vector<Lane> lanes;
  for (std::size_t idx : shown) {
    Lane lane;
    lane.index = idx;
    lane.label = idx < r.partitions.size() ? r.partitions[idx].label : "";
    std::vector<std::size_t> all = members[idx];
    std::sort(all.begin(), all.end(), [&](std::size_t a, std::size_t b) {
      return std::pair(p.calls.at(a).call, a) < std::pair(p.calls.at(b).call, b);
    });
    lane.total = all.size();
    if (failing && idx == *failing) {
      const Explanation& why = *r.explanation;
      for (std::size_t i = 0; i < why.prefix.size(); ++i) {
        lane.order.push_back(why.prefix[i].id);
        lane.steps[why.prefix[i].id] = Step{i + 1, why.prefix[i].state_after};
        lane.described[why.prefix[i].id] = why.prefix[i].description;
      }
      if (why.unplaceable) {
        lane.broken = why.unplaceable->id;
        lane.described[*lane.broken] = why.unplaceable->description;
      }
      lane.could_hold = why.states;
    } else if (idx < r.linearizations.size()) {
      lane.order = r.linearizations[idx];
      for (std::size_t i = 0; i < lane.order.size(); ++i) {
        std::string state;
        if (idx < r.linearization_states.size() && i < r.linearization_states[idx].size())
          state = r.linearization_states[idx][i];
        lane.steps[lane.order[i]] = Step{i + 1, state};
      }
    }
    // The window: kPictureWindowOps operations by invoke, three quarters of them before the
    // failing one when there is one, so the prefix that leads to it is in.
    std::size_t focus = 0;
    if (lane.broken) {
      focus =
          static_cast<std::size_t>(std::find(all.begin(), all.end(), *lane.broken) - all.begin());
    }
    std::size_t lo = 0;
    if (all.size() > kPictureWindowOps) {
      lo = focus > kPictureWindowOps * 3 / 4 ? focus - kPictureWindowOps * 3 / 4 : 0;
      lo = std::min(lo, all.size() - kPictureWindowOps);
    }
    std::size_t hi = std::min(all.size(), lo + kPictureWindowOps);
    lane.first = lo;
    lane.ops.assign(all.begin() + static_cast<std::ptrdiff_t>(lo),
                    all.begin() + static_cast<std::ptrdiff_t>(hi));
    std::set<std::int64_t> rows;
    double w1 = 0, w0 = 0;
    bool any = false;
    for (std::size_t id : lane.ops) {
      const CallReturn& c = p.calls.at(id);
      rows.insert(c.process);
      double a = p.rel(c.call), b = c.ret == kNever ? a : p.rel(c.ret);
      w0 = any ? std::min(w0, a) : a;
      w1 = any ? std::max(w1, b) : b;
      any = true;
    }
    lane.rows.assign(rows.begin(), rows.end());
    if (w1 <= w0) w1 = w0 + 1;
    const double pad = (w1 - w0) * 0.02;
    lane.w0 = w0 - pad;
    lane.w1 = w1 + pad;
    lane.v0 = lane.w0;
    lane.v1 = lane.w1;
    // The initial view: the few dozen operations invoked around the failing one.
    if (lane.broken && lane.ops.size() > 48) {
      std::size_t f = focus - lo;
      std::size_t r0 = f > 36 ? f - 36 : 0, r1 = std::min(lane.ops.size() - 1, f + 8);
      const CallReturn& b = p.calls.at(*lane.broken);
      double v0 = p.rel(p.calls.at(lane.ops[r0]).call);
      double v1 = std::max(p.rel(p.calls.at(lane.ops[r1]).call),
                           b.ret == kNever ? p.rel(b.call) : p.rel(b.ret));
      if (v1 <= v0) v1 = v0 + 1;
      const double vpad = (v1 - v0) * 0.03;
      lane.v0 = std::max(lane.w0, v0 - vpad);
      lane.v1 = std::min(lane.w1, v1 + vpad);
    }
    lanes.push_back(std::move(lane));
  }
  return lanes;
}

// A tick every 1, 2 or 5 times a power of ten, about eight across the view.
double tick_step(double span, bool timed) {
  double raw = span / 8;
  double mag = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
  double step = mag * 10;
  for (double m : {1.0, 2.0, 5.0}) {
    if (mag * m >= raw) {
      step = mag * m;
      break;
    }
  }
  return timed ? std::max(step, 1.0) : std::max(std::round(step), 1.0);
}

std::string tick_text(double t, double step, bool timed) {
  if (!timed) return "#" + std::to_string(static_cast<std::int64_t>(std::llround(t)));
  if (t == 0) t = 0;  // no "-0ms" for a tick computed as -0.0
  static const std::pair<double, const char*> units[] = {
      {1e9, "s"}, {1e6, "ms"}, {1e3, "\xC2\xB5s"}, {1, "ns"}};
  for (const auto& [unit, name] : units) {
    if (step >= unit || unit == 1) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.0f%s", t / unit, name);
      return buf;
    }
  }
  return "";
}

void write_axis(std::ostream& out, const Lane& lane, double height, bool timed) {
  const double span = lane.v1 - lane.v0;
  const double scale = (kPictureWidth - kGutter - kRight) / span;
  const double step = tick_step(span, timed);
  out << "<g class=\"axis\">";
  for (double t = std::ceil(lane.v0 / step) * step; t <= lane.v1; t += step) {
    const double x = kGutter + (t - lane.v0) * scale;
    out << "<line x1=\"" << num(x) << "\" x2=\"" << num(x) << "\" y1=\"" << kAxis - 6 << "\" y2=\""
        << num(height) << "\"/><text x=\"" << num(x) << "\" y=\"" << kAxis - 10 << "\">"
        << tick_text(t, step, timed) << "</text>";
  }
  out << "</g>\n";
}

void write_bars(std::ostream& out, const Picture& p, const Lane& lane) {
  const double scale = (kPictureWidth - kGutter - kRight) / (lane.v1 - lane.v0);
  auto x_of = [&](double t) { return kGutter + (t - lane.v0) * scale; };
  std::map<std::int64_t, std::size_t> row_of;
  for (std::size_t r = 0; r < lane.rows.size(); ++r) row_of[lane.rows[r]] = r;
  const std::string& id = p.options.id;
  for (std::size_t cid : lane.ops) {
    const CallReturn& c = p.calls.at(cid);
    const double y = kAxis + static_cast<double>(row_of[c.process]) * kRow + 3;
    const bool open = c.ret == kNever;
    const double x0 = x_of(p.rel(c.call));
    double x1 = open ? kPictureWidth + 20 : x_of(p.rel(c.ret));
    x1 = std::max(x1, x0 + 3);
    auto step = lane.steps.find(cid);
    const bool numbered = step != lane.steps.end();
    const bool broken = lane.broken == cid;
    std::string cls = "op";
    if (numbered) cls += " lin";
    if (open) cls += " open";
    if (broken) cls += " broken";
    const std::string text = p.text_of(lane, cid);
    std::string shown = broken
                            ? "\xE2\x9C\x97 " + text
                            : (numbered ? std::to_string(step->second.number) + ". " : "") + text;
    std::string title = p.who(c.process) + ": " + text;
    if (numbered) {
      title = "#" + std::to_string(step->second.number) + " " + title;
      if (!step->second.state.empty())
        title += "\nstate after: " + clip(step->second.state, kHoverState);
    }
    if (broken) title += "\ncannot be placed after the numbered prefix";
    title += "\ninvoked " + p.when(c.call) + ", " +
             (open ? std::string("never returned (outcome unknown)") : "returned " + p.when(c.ret));
    // The label starts where the bar becomes visible and is cut to the visible width.
    const double vis0 = std::max(x0, double(kGutter));
    const double vis1 = std::min(x1, double(kPictureWidth - kRight));
    const auto fits = static_cast<std::size_t>(std::max(0.0, (vis1 - vis0 - 6) / kCharWidth));
    out << "<g class=\"" << cls << "\" id=\"" << id << "-op-" << cid << "\" data-op=\"" << cid
        << "\" data-a=\"" << num(p.rel(c.call)) << "\" data-b=\""
        << (open ? std::string() : num(p.rel(c.ret))) << "\" data-l=\"" << markup_escape(shown)
        << "\" data-n=\"" << (numbered ? std::to_string(step->second.number) : "") << "\"><title>"
        << markup_escape(title) << "</title><rect x=\"" << num(x0) << "\" y=\"" << num(y)
        << "\" width=\"" << num(x1 - x0) << "\" height=\"" << kBar << "\" rx=\"3\"/><text x=\""
        << num(vis0 + 3) << "\" y=\"" << num(y + 12) << "\">"
        << markup_escape(vis1 > vis0 ? clip(shown, fits) : "") << "</text></g>\n";
  }
}

void write_list(std::ostream& out, const Picture& p, const Lane& lane) {
  const std::string& id = p.options.id;
  const bool failing = lane.broken.has_value() || !lane.could_hold.empty();
  out << "<div class=\"side\"><h4>"
      << (failing ? "Longest linearizable prefix (" + operations(lane.order.size()) +
                        "), state after each"
          : lane.order.empty() ? std::string("No order")
                               : "Linearization (" + operations(lane.order.size()) + ")")
      << "</h4>\n";
  // A failing partition lists the end of its prefix, which leads to the failure; another its
  // beginning.
  std::size_t from = 0, to = std::min(lane.order.size(), kListed);
  if (failing && lane.order.size() > kListed) {
    from = lane.order.size() - kListed;
    to = lane.order.size();
  }
  if (from > 0) out << "<p class=\"muted\">" << from << " earlier operations not listed</p>\n";
  out << "<ol class=\"steps\" start=\"" << from + 1 << "\">\n";
  for (std::size_t i = from; i < to; ++i) {
    const std::size_t cid = lane.order[i];
    const Step& step = lane.steps.at(cid);
    out << "<li id=\"" << id << "-st-" << cid << "\" data-op=\"" << cid << "\"><span class=\"who\">"
        << markup_escape(p.who(p.calls.at(cid).process)) << "</span> "
        << markup_escape(p.text_of(lane, cid));
    if (!step.state.empty())
      out << "<div class=\"state\">&rarr; " << markup_escape(clip(step.state, kListState))
          << "</div>";
    out << "</li>\n";
  }
  out << "</ol>\n";
  if (to < lane.order.size())
    out << "<p class=\"muted\">" << lane.order.size() - to << " more not listed</p>\n";
  if (lane.broken) {
    const std::size_t cid = *lane.broken;
    out << "<div class=\"broken-step\" id=\"" << id << "-st-" << cid << "\" data-op=\"" << cid
        << "\">&#x2717; cannot be placed next: <span class=\"who\">"
        << markup_escape(p.who(p.calls.at(cid).process)) << "</span> "
        << markup_escape(p.text_of(lane, cid)) << "</div>\n";
  }
  if (!lane.could_hold.empty()) {
    out << "<p class=\"muted\">after the prefix the state could only be:";
    for (const std::string& s : lane.could_hold) {
      out << " <code>" << markup_escape(clip(s, kListState)) << "</code>";
    }
    out << "</p>\n";
  }
  out << "</div>\n";
}

void write_lane(std::ostream& out, const Picture& p, const Lane& lane, std::size_t n) {
  const std::string& id = p.options.id;
  const double height = kAxis + static_cast<double>(lane.rows.size()) * kRow + 6;
  out << "<div class=\"part\" id=\"" << id << "-part-" << n << "\""
      << (n == 0 ? "" : " style=\"display:none\"") << ">\n<div class=\"controls\">"
      << "<button data-do=\"out\" title=\"zoom out\">&minus;</button>"
      << "<button data-do=\"in\" title=\"zoom in\">+</button>"
      << "<button data-do=\"left\" title=\"pan left\">&#x25C0;</button>"
      << "<button data-do=\"right\" title=\"pan right\">&#x25B6;</button>"
      << "<button data-do=\"all\">whole window</button>"
      << (lane.broken ? "<button data-do=\"home\">failing operation</button>" : "")
      << " <span class=\"muted\">operations " << lane.first + 1 << "&ndash;"
      << lane.first + lane.ops.size() << " of " << lane.total
      << " by invoke; drag to pan, wheel to zoom, click a bar for its state</span></div>\n"
      << "<div class=\"body\"><div class=\"chart\"><svg class=\"lanes\" "
         "xmlns=\"http://www.w3.org/2000/svg\" width=\""
      << kPictureWidth << "\" height=\"" << num(height) << "\" data-width=\"" << kPictureWidth
      << "\" data-gutter=\"" << kGutter << "\" data-right=\"" << kRight << "\" data-axis=\""
      << kAxis << "\" data-height=\"" << num(height) << "\" data-timed=\""
      << (p.options.timed ? 1 : 0) << "\" data-w0=\"" << num(lane.w0) << "\" data-w1=\""
      << num(lane.w1) << "\" data-v0=\"" << num(lane.v0) << "\" data-v1=\"" << num(lane.v1) << "\""
      << (lane.broken ? " data-broken=\"" + std::to_string(*lane.broken) + "\"" : "")
      << ">\n<defs><clipPath id=\"" << id << "-clip-" << n << "\"><rect x=\"" << kGutter
      << "\" y=\"0\" width=\"" << kPictureWidth - kGutter - kRight << "\" height=\"" << num(height)
      << "\"/></clipPath></defs>\n";
  for (std::size_t r = 0; r < lane.rows.size(); ++r) {
    const double y = kAxis + static_cast<double>(r) * kRow;
    out << "<text class=\"row\" x=\"4\" y=\"" << num(y + 15) << "\">"
        << markup_escape(clip(p.who(lane.rows[r]), 13)) << "</text><line class=\"lane\" x1=\""
        << kGutter << "\" x2=\"" << kPictureWidth - kRight << "\" y1=\"" << num(y + kRow)
        << "\" y2=\"" << num(y + kRow) << "\"/>\n";
  }
  out << "<g clip-path=\"url(#" << id << "-clip-" << n << ")\">\n";
  write_axis(out, lane, height, p.options.timed);
  write_bars(out, p, lane);
  out << "</g></svg></div>\n";
  write_list(out, p, lane);
  out << "</div></div>\n";
}

void write_summary(std::ostream& out, const Picture& p, const std::vector<Lane>& lanes) {
  const CheckResult& r = p.result;
  out << "<p class=\"summary\">";
  if (r.verdict == Verdict::illegal && r.explanation) {
    const Explanation& why = *r.explanation;
    out << "<span class=\"bad\">not linearizable</span> (" << markup_escape(r.model) << ")"
        << (why.partition.empty() ? ""
                                  : " on key <code>" + markup_escape(why.partition) + "</code>")
        << ": the longest linearizable prefix the search found has "
        << operations(why.prefix.size()) << ", numbered in order (green); ";
    if (why.unplaceable) {
      out << "<span class=\"bad\">" << markup_escape(p.who(why.unplaceable->process)) << "'s "
          << markup_escape(why.unplaceable->description)
          << "</span> (red, &#x2717;) cannot be placed after it";
    } else {
      out << "no operation can follow it";
    }
    out << ".";
  } else if (r.verdict == Verdict::ok) {
    out << "<span class=\"good\">linearizable</span> (" << markup_escape(r.model)
        << "): the linearization the search found is numbered in order.";
  } else {
    out << "<span class=\"bad\">undecided</span> (" << markup_escape(r.unknown_reason)
        << "): no order to show.";
  }
  out << " Bars run from invoke to return; dashed ones never returned (outcome unknown). Axis: "
      << (p.options.timed ? std::string("time") : std::string("position of the event in the log"))
      << ".</p>\n";
  if (lanes.size() > 1) {
    out << "<p>Partition: <select class=\"partsel\" id=\"" << p.options.id << "-partsel\">";
    for (std::size_t n = 0; n < lanes.size(); ++n) {
      out << "<option value=\"" << n << "\">key " << markup_escape(lanes[n].label) << " ("
          << operations(lanes[n].total) << (lanes[n].broken ? ", not linearizable" : "")
          << ")</option>";
    }
    out << "</select>";
    if (r.partitions.size() > lanes.size())
      out << " <span class=\"muted\">(" << r.partitions.size() - lanes.size()
          << " more partitions not shown)</span>";
    out << "</p>\n";
  }
}

}  // namespace

void write_linearizability_picture(std::ostream& out, const std::vector<CallReturn>& calls,
                                   const CheckResult& result, const PictureOptions& options) {
  Picture p{calls, result, options};
  if (options.time_origin) {
    p.origin = *options.time_origin;
  } else if (options.timed && !calls.empty()) {  // positions count from the log's start
    p.origin = calls.front().call;
    for (const CallReturn& c : calls) p.origin = std::min(p.origin, c.call);
  }
  std::vector<Lane> lanes = lanes_of(p);
  out << "<div class=\"linpic\" id=\"" << markup_escape(options.id) << "\">\n<style>"
      << kPictureStyle << "</style>\n";
  write_summary(out, p, lanes);
  out << "<div class=\"info\" id=\"" << markup_escape(options.id)
      << "-info\">Hover or click an operation for its details and the state after it.</div>\n";
  for (std::size_t n = 0; n < lanes.size(); ++n) write_lane(out, p, lanes[n], n);
  if (lanes.empty()) out << "<p class=\"muted\">The history has no operations.</p>\n";
  std::string script = kPictureScript;
  const std::string quoted = "'" + options.id + "'";
  script.replace(script.rfind("ID"), 2, quoted);
  out << "<script>" << script << "</script>\n</div>\n";
}

void write_linearizability_page(std::ostream& out, const std::vector<CallReturn>& calls,
                                const CheckResult& result, const PictureOptions& options) {
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
      << markup_escape(options.title)
      << "</title>\n<style>body{font:13px sans-serif;margin:16px}h3{margin:0}</style></head>"
         "<body>\n<h3>"
      << markup_escape(options.title) << "</h3>\n";
  write_linearizability_picture(out, calls, result, options);
  out << "</body></html>\n";
}

}  // namespace faultline::checkers
