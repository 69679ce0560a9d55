#include "reports/html_report.hpp"

#include <sstream>

#include <doctest/doctest.h>

#include "reports/spacetime_diagram.hpp"
#include "reports/svg_render.hpp"

using namespace faultline;
using namespace faultline::reports;

namespace {
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("html_escape escapes markup and quotes") {
  CHECK(html_escape("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
}

TEST_CASE("the HTML report is self-contained and escapes everything it is given") {
  TraceRecord note;
  note.index = 4;
  note.at_ns = 1200000000;
  note.kind = sim::TraceKind::kNote;
  note.node = "client<script>";
  note.detail = "<script>alert(1)</script>";
  note.data = {{"type", "<b>Write</b>"}};

  std::ostringstream dot;
  DiagramFocus focus;
  focus.highlight_event_indices = {4};
  write_spacetime_dot(dot, {note}, focus, "<script>title</script>");

  HtmlReport report;
  report.scenario = "scenarios/locks/<script>.json";
  report.seed = 8124;
  report.verdict = "violation";
  report.reproduce_command = "faultline run 'scenarios/locks/<script>.json' --seed 8124";
  report.trace_hash = "00000000deadbeef";
  report.facts = {{"strategy", "random"}};
  report.violations = {{"mutual-exclusion",
                        1200000000,
                        "client1 <script> & client2 overlapped",
                        {"client1", "client2"}}};
  report.svg = render_svg(dot.str());
  report.events = {note};
  report.highlight_event_indices = {4};
  report.story.steps = {
      {StoryStepKind::note, 1200000000, {"client<script>"}, "client<script>: <i>held</i>", 4},
      {StoryStepKind::fault, 1300000000, {"x"}, "x crashes", 5},
      {StoryStepKind::violation,
       1200000000,
       {"client1", "client2"},
       "VIOLATION mutual-exclusion",
       9}};
  report.story.omitted = 3;

  std::ostringstream out;
  write_html_report(out, report);
  const std::string html = out.str();

  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  // Escaped everywhere, the SVG included: the one script is the page's own, the diagram's zoom.
  const size_t own =
      html.find("<script>\n(() => {\n  const box = document.getElementById('diagram');");
  CHECK(own != std::string::npos);
  CHECK(html.find("<script") == own);
  CHECK(html.find("<script", own + 1) == std::string::npos);
  CHECK_FALSE(contains(html, "<?xml"));  // the SVG is embedded as an element
  CHECK_FALSE(contains(html, "http-equiv"));
  CHECK_FALSE(contains(html, "src="));  // no external assets
  CHECK(contains(html, "<svg"));
  CHECK(contains(html, "class=\"verdict violation\">violation</span>"));
  CHECK(contains(html, "<td>8124</td>"));
  CHECK(contains(html, "<code>00000000deadbeef</code>"));
  CHECK(contains(html, "faultline run &#39;scenarios/locks/&lt;script&gt;.json&#39; --seed 8124"));
  CHECK(contains(html, "<strong>mutual-exclusion</strong> at 1.2s"));
  CHECK(contains(html, "client1 &lt;script&gt; &amp; client2 overlapped"));
  CHECK(contains(html,
                 "<tr id=\"row-4\" class=\"kind-note hot\"><td>4</td><td>1.2s</td>"
                 "<td>client&lt;script&gt;</td>"));
  CHECK(contains(html, "<div class=\"violation-box\" id=\"violation-1\">"));
  // The story first, each step linked to its box in the diagram, else its row, else (a violation)
  // its box among the violations; a step with neither is not a link.
  CHECK(html.find("<ol class=\"story\" id=\"story\">") < html.find("<h2>Violations</h2>"));
  CHECK(contains(html,
                 "<li class=\"note\"><a href=\"#ev_4\"><span class=\"time\">1.2s</span>"
                 "client&lt;script&gt;: &lt;i&gt;held&lt;/i&gt;</a> <span class=\"muted\">#4"));
  CHECK(contains(html, "<li class=\"fault\"><span class=\"time\">1.3s</span>x crashes <span"));
  CHECK(contains(html, "<li class=\"violation\"><a href=\"#violation-1\">"));
  CHECK(contains(html, "… 3 routine steps omitted"));
  CHECK(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST_CASE("the HTML report shows a violation's picture after the violations") {
  HtmlReport report;
  report.scenario = "stale-read";
  report.verdict = "violation";
  Finding f;
  f.checker = "linearizable";
  f.message = "not linearizable";
  f.figure_html = "<div class=\"linpic\" id=\"linearizability\">the picture</div>\n";
  report.violations.push_back(f);
  std::ostringstream out;
  write_html_report(out, report);
  const std::string html = out.str();
  CHECK(contains(html,
                 "<h2>linearizable: the history</h2>\n<div class=\"figure\" id=\"figure-1\">"
                 "\n<div class=\"linpic\" id=\"linearizability\">the picture</div>"));
  CHECK(html.find("id=\"violation-1\"") < html.find("id=\"figure-1\""));
}

TEST_CASE("the HTML report of a clean run says so") {
  HtmlReport report;
  report.scenario = "lease-fenced-gc-pause";
  report.verdict = "ok";
  std::ostringstream out;
  write_html_report(out, report);
  CHECK(contains(out.str(), "class=\"verdict ok\">ok</span>"));
  CHECK(contains(out.str(), "None: every checker passed."));
  CHECK(contains(out.str(), "No diagram was rendered."));
}
