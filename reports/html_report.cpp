#include "reports/html_report.hpp"

#include <set>

#include "base/format_ns.hpp"
#include "reports/diagram_zoom.hpp"
#include "reports/step_through.hpp"

namespace faultline::reports {

namespace {

constexpr const char* kStyle = R"(
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
       margin: 2em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.verdict { display: inline-block; padding: 0.15em 0.7em; border-radius: 1em; font-weight: 600;
           color: white; background: #57606a; }
.verdict.ok { background: #1a7f37; } .verdict.violation { background: #d1242f; }
table { border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 0.25em 0.6em; border-bottom: 1px solid #d0d7de;
         vertical-align: top; }
table.facts th { color: #57606a; font-weight: normal; }
code, pre, td.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f6f8fa; padding: 0.6em 0.8em; border-radius: 6px; overflow-x: auto; }
.violation-box { border-left: 4px solid #d1242f; background: #fff5f5; padding: 0.5em 1em;
                 margin: 0.6em 0; }
tr.hot td { color: #d1242f; font-weight: 600; } tr.kind-violation td { background: #ffebe9; }
.diagram { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5em; }
.muted { color: #57606a; }
/* The page never scrolls sideways: a payload's JSON, a long name or a message breaks anywhere
   rather than widen its column past the window; only the diagram scrolls, inside its box, and
   only when it is too wide to fit it (reports/diagram_zoom.hpp). */
td, li, p { overflow-wrap: anywhere; } th { white-space: nowrap; }
ol.story { padding-left: 2.2em; } ol.story li { margin: 0.15em 0; }
ol.story .time { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px;
                 color: #57606a; margin-right: 0.5em; }
ol.story li.violation a { color: #d1242f; font-weight: 600; }
ol.story li.fault { color: #6e4c00; }
)";

// The SVG element alone: the XML declaration and DOCTYPE that Graphviz puts first are not
// allowed in the middle of an HTML document.
std::string_view svg_element(std::string_view svg) {
  const size_t start = svg.find("<svg");
  return start == std::string_view::npos ? std::string_view() : svg.substr(start);
}

std::string time_text(int64_t ns) {
  return format_ns(ns);
}

std::string message_text(const TraceRecord& r) {
  if (r.data.is_null()) return "";
  std::string text = r.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 240) text = text.substr(0, 237) + "...";
  return text;
}

void write_violations(std::ostream& out, const HtmlReport& report) {
  out << "<h2>Violations</h2>\n";
  if (report.violations.empty()) {
    out << "<p class=\"muted\">None: every checker passed.</p>\n";
    return;
  }
  for (size_t n = 0; n < report.violations.size(); ++n) {
    const Finding& v = report.violations[n];
    out << "<div class=\"violation-box\" id=\"violation-" << n + 1 << "\"><strong>"
        << html_escape(v.checker) << "</strong> at " << html_escape(time_text(v.at_ns)) << "<p>"
        << html_escape(v.message) << "</p>";
    if (!v.involved.empty()) {
      out << "<p class=\"muted\">involved: ";
      for (size_t i = 0; i < v.involved.size(); ++i) {
        out << (i ? ", " : "") << "<code>" << html_escape(v.involved[i]) << "</code>";
      }
      out << "</p>";
    }
    out << "</div>\n";
  }
}

// Pictures the checkers drew of their violations (the linearizability checker's timeline of the
// history), each a self-contained fragment, after the boxes they illustrate.
void write_figures(std::ostream& out, const HtmlReport& report) {
  for (size_t n = 0; n < report.violations.size(); ++n) {
    const Finding& v = report.violations[n];
    if (v.figure_html.empty()) continue;
    out << "<h2>" << html_escape(v.checker)
        << ": the history</h2>\n<div class=\"figure\" id=\"figure-" << n + 1 << "\">\n"
        << v.figure_html << "</div>\n";
  }
}

void write_events(std::ostream& out, const HtmlReport& report) {
  const std::set<uint64_t> hot(report.highlight_event_indices.begin(),
                               report.highlight_event_indices.end());
  out << "<h2>Events in the window</h2>\n";
  if (report.events.empty()) {
    out << "<p class=\"muted\">No trace events.</p>\n";
    return;
  }
  out << "<table class=\"events\">\n<tr><th>#</th><th>true time</th><th>node</th><th>local</th>"
         "<th>kind</th><th>peer</th><th>msg</th><th>detail</th><th>message / data</th></tr>\n";
  for (const TraceRecord& r : report.events) {
    const std::string kind(sim::to_string(r.kind));
    std::string classes = "kind-" + kind;
    if (hot.count(r.index)) classes += " hot";
    out << "<tr id=\"row-" << r.index << "\" class=\"" << html_escape(classes) << "\"><td>"
        << r.index << "</td><td>" << html_escape(time_text(r.at_ns)) << "</td><td>"
        << html_escape(r.node) << "</td><td>"
        << (r.node.empty() ? "" : html_escape(time_text(r.local_ns))) << "</td><td>"
        << html_escape(kind) << "</td><td>" << html_escape(r.peer) << "</td><td>"
        << (r.message_id ? std::to_string(r.message_id) : "") << "</td><td>"
        << html_escape(r.detail) << "</td><td class=\"mono\">" << html_escape(message_text(r))
        << "</td></tr>\n";
  }
  out << "</table>\n";
}

const char* step_class(StoryStepKind kind) {
  switch (kind) {
    case StoryStepKind::fault:
      return "fault";
    case StoryStepKind::note:
      return "note";
    case StoryStepKind::message:
      return "message";
    case StoryStepKind::operation:
      return "operation";
    case StoryStepKind::violation:
      return "violation";
  }
  return "";
}

// The story, first: each step links to its box in the diagram, else its row of the table, else
// (a violation whose record neither shows) its box among the violations.
void write_story(std::ostream& out, const HtmlReport& report, std::string_view svg) {
  if (report.story.steps.empty()) return;
  std::set<uint64_t> rows;
  for (const TraceRecord& r : report.events) rows.insert(r.index);
  std::set<uint64_t> carried;  // the step-through's events
  if (report.steps.is_object() && report.steps.contains("events")) {
    for (const nlohmann::json& e : report.steps["events"])
      carried.insert(e.value("i", uint64_t{0}));
  }
  out << "<h2>Story</h2>\n<ol class=\"story\" id=\"story\">\n";
  size_t violation = 0;
  for (const StoryStep& step : report.story.steps) {
    const std::string index = std::to_string(step.trace_index);
    std::string target;
    if (svg.find("id=\"ev_" + index + "\"") != std::string_view::npos) {
      target = "ev_" + index;
    } else if (rows.count(step.trace_index)) {
      target = "row-" + index;
    }
    if (step.kind == StoryStepKind::violation) {
      ++violation;
      if (target.empty()) target = "violation-" + std::to_string(violation);
    }
    out << "<li class=\"" << step_class(step.kind) << "\">";
    if (!target.empty()) out << "<a href=\"#" << target << "\">";
    out << "<span class=\"time\">" << html_escape(time_text(step.at_ns)) << "</span>"
        << html_escape(step.text);
    if (!target.empty()) out << "</a>";
    out << " <span class=\"muted\">#" << index << "</span>";
    if (carried.count(step.trace_index))
      out << " <a class=\"step-link\" href=\"#step-" << index
          << "\" title=\"step through the run from here\">step ▸</a>";
    out << "</li>\n";
  }
  out << "</ol>\n";
  if (report.story.omitted > 0) {
    out << "<p class=\"muted\">… " << report.story.omitted << " routine step"
        << (report.story.omitted == 1 ? "" : "s") << " omitted</p>\n";
  }
}

}  // namespace

void write_html_report(std::ostream& out, const HtmlReport& report) {
  const std::string verdict_class = report.verdict == "ok"      ? "ok"
                                    : report.violations.empty() ? "other"
                                                                : "violation";
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>faultline: " << html_escape(report.scenario) << " (seed " << report.seed << ") "
      << html_escape(report.verdict) << "</title>\n<style>" << kStyle << diagram_zoom_style()
      << (report.steps.is_null() ? "" : step_through_style()) << "</style>\n"
      << "</head>\n<body>\n";
  out << "<h1>" << html_escape(report.scenario) << "</h1>\n<p><span class=\"verdict "
      << verdict_class << "\">" << html_escape(report.verdict) << "</span></p>\n";
  const std::string_view svg = svg_element(report.svg);
  write_story(out, report, svg);

  out << "<table class=\"facts\">\n<tr><th>scenario</th><td>" << html_escape(report.scenario)
      << "</td></tr>\n<tr><th>seed</th><td>" << report.seed << "</td></tr>\n";
  if (!report.trace_hash.empty()) {
    out << "<tr><th>trace hash</th><td><code>" << html_escape(report.trace_hash)
        << "</code></td></tr>\n";
  }
  for (const auto& [name, value] : report.facts) {
    out << "<tr><th>" << html_escape(name) << "</th><td>" << html_escape(value) << "</td></tr>\n";
  }
  out << "</table>\n";
  if (!report.reproduce_command.empty()) {
    out << "<h2>Reproduce</h2>\n<pre>" << html_escape(report.reproduce_command) << "</pre>\n";
  }

  write_violations(out, report);
  write_figures(out, report);

  out << "<h2>Space-time diagram</h2>\n";
  if (svg.empty()) {
    out << "<p class=\"muted\">No diagram was rendered.</p>\n";
  } else {
    // Graphviz escapes every label it writes into the SVG, so the element is embedded as is.
    write_diagram_zoom_toolbar(out);
    out << "<div class=\"diagram\" id=\"diagram\">\n" << svg << "\n</div>\n";
    write_diagram_zoom_script(out);
  }

  if (!report.steps.is_null()) write_step_through(out, report.steps);
  write_events(out, report);
  out << "</body>\n</html>\n";
}

}  // namespace faultline::reports
