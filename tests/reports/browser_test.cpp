// Every catalog violation's report as a reader sees it, in headless Chromium (browser.hpp): no
// script errors, no horizontal scrolling of the page at a 1,400 px window, the violation's box
// present and visible, the diagram fitted to its box or open at its violation, with no label
// past its box, the story told in at most 12 steps, each a link that leads somewhere, the
// step-through showing one event. And one report stepped through as a reader would: buttons,
// keys, filters, the violation and a story's link.
// Skipped, with a message, on a machine without `chromium` (CI installs it: ./dev setup).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "../catalog_files.hpp"
#include "../command.hpp"
#include "browser.hpp"
#include "reports/story.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

using namespace faultline;
using faultline::testing::Browser;

namespace {

constexpr int kWindowWidth = 1400;
constexpr int kWindowHeight = 900;
// Browsers at once: each a process of its own; more than the two cores here only contend.
constexpr size_t kBrowsers = 2;

// What the page says of itself, measured in the browser.
constexpr const char* kMeasure = R"JS((() => {
  const root = document.documentElement;
  const box = document.getElementById('violation-1');
  let visible = false;
  if (box) {
    const rect = box.getBoundingClientRect();
    const style = getComputedStyle(box);
    visible = rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden' &&
              style.display !== 'none' && rect.left >= 0 && rect.right <= window.innerWidth;
  }
  const story = document.getElementById('story');
  const links = story ? Array.from(story.querySelectorAll('a[href^="#"]')) : [];
  // The diagram: its scale, whether its violation is in its box's view sideways, and the boxes
  // whose text runs past their outline (as this browser's fonts lay it out).
  const diagram = document.getElementById('diagram');
  const svg = diagram && diagram.querySelector('svg');
  const link = document.querySelector('#story li.violation a[href^="#ev_"]');
  const node = link && document.getElementById(link.getAttribute('href').slice(1));
  let in_view = null;
  if (diagram && node) {
    const outer = diagram.getBoundingClientRect(), inner = node.getBoundingClientRect();
    in_view = inner.left >= outer.left - 1 && inner.right <= outer.right + 1;
  }
  const overruns = [];
  for (const g of svg ? svg.querySelectorAll('g.node') : []) {
    const shape = g.querySelector('polygon, ellipse, path');
    const texts = g.querySelectorAll('text');
    if (!shape || !texts.length || shape.getAttribute('fill') === 'none') continue;
    const box = shape.getBBox();
    for (const t of texts) {
      const b = t.getBBox();
      if (b.x < box.x - 1 || b.x + b.width > box.x + box.width + 1) {
        overruns.push(g.id + ': ' + t.textContent);
        break;
      }
    }
  }
  return {
    diagram_scale: svg ? svg.getBoundingClientRect().width /
                         (parseFloat(svg.getAttribute('width')) * 96 / 72) : 1,
    diagram_violation_in_view: in_view,
    overruns: overruns,
    scroll_width: root.scrollWidth,
    violation: !!box,
    visible: visible,
    story: !!story,
    steps: story ? story.querySelectorAll(':scope > li').length : 0,
    unlinked: story ? story.querySelectorAll(':scope > li:not(:has(> a))').length : 0,
    steps_current: document.querySelectorAll('#steps-list li.current').length,
    steps_links: story ? story.querySelectorAll('a[href^="#step-"]').length : 0,
    broken: links.map(a => a.getAttribute('href'))
                 .filter(h => !document.getElementById(h.slice(1))),
  };
})())JS";

struct Report {
  std::string file;  // the scenario
  std::string html;  // its report.html
  nlohmann::json measured;
  std::vector<std::string> errors;
  std::string failure;  // the browser's own, if it failed
};

void render(const std::string& chromium, std::vector<Report>& reports, size_t first, size_t step) {
  try {
    Browser browser(chromium, kWindowWidth, kWindowHeight);
    for (size_t i = first; i < reports.size(); i += step) {
      try {
        browser.navigate("file://" + reports[i].html);
        reports[i].measured = browser.evaluate(kMeasure);
        reports[i].errors = browser.errors();
      } catch (const std::exception& e) {
        reports[i].failure = e.what();
      }
    }
  } catch (const std::exception& e) {
    for (size_t i = first; i < reports.size(); i += step) reports[i].failure = e.what();
  }
}

}  // namespace

TEST_CASE("browser: every catalog violation's report renders, fits 1400 px and tells its story") {
  const std::string chromium = faultline::testing::chromium_binary();
  if (chromium.empty()) {
    MESSAGE(
        "skipped: no chromium (/usr/bin/chromium or $FAULTLINE_CHROMIUM); ./dev setup installs it");
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  faultline::testing::TempDir dir;
  std::vector<Report> reports;
  for (const auto& [file, scenario] : faultline::testing::catalog_protocol_scenarios()) {
    if (!scenario.expect || scenario.expect->ok) continue;
    const std::string out = dir / std::to_string(reports.size());
    run::RunFiles files(out, true);
    run::run_with_outputs(scenario, run::RunOptions{}, {}, files);
    reports.push_back({file, files.report, {}, {}, ""});
  }
  REQUIRE(reports.size() >= 40);
  const auto written = std::chrono::steady_clock::now();

  std::vector<std::thread> browsers;
  for (size_t b = 0; b < kBrowsers; ++b)
    browsers.emplace_back(render, chromium, std::ref(reports), b, kBrowsers);
  for (std::thread& t : browsers) t.join();
  const auto rendered = std::chrono::steady_clock::now();
  using std::chrono::duration;
  MESSAGE(reports.size() << " reports: written in " << duration<double>(written - start).count()
                         << " s, rendered in " << duration<double>(rendered - written).count()
                         << " s");

  for (const Report& report : reports) {
    INFO(report.file);
    INFO(report.measured.dump());
    REQUIRE_MESSAGE(report.failure.empty(), report.failure);
    std::string errors;
    for (const std::string& e : report.errors) errors += e + "\n";
    CHECK_MESSAGE(report.errors.empty(), errors);
    CHECK(report.measured.value("scroll_width", 1 << 30) <= kWindowWidth);
    CHECK(report.measured.value("violation", false));
    CHECK(report.measured.value("visible", false));
    CHECK(report.measured.value("story", false));
    const size_t steps = report.measured.value("steps", size_t{0});
    CHECK(steps >= 1);
    CHECK(steps <= reports::kStorySteps);
    CHECK(report.measured.value("broken", nlohmann::json::array()).empty());
    CHECK(report.measured.value("unlinked", -1) == 0);
    CHECK(report.measured.value("steps_current", 0) == 1);
    CHECK(report.measured.value("steps_links", size_t{0}) == steps);
    // A wide diagram opens fitted to its box, at half size or more, or else at its violation.
    CHECK(report.measured.value("diagram_scale", 0.0) >= 0.5);
    const auto in_view = report.measured.find("diagram_violation_in_view");
    if (in_view != report.measured.end() && !in_view->is_null()) CHECK(in_view->get<bool>());
    CHECK(report.measured.value("overruns", nlohmann::json::array()).empty());
  }
}

namespace {

// What the step-through shows now: the current event's list item and description, and each
// node's row of the state table.
constexpr const char* kStepShown = R"JS((() => {
  const rows = {};
  for (const tr of document.querySelectorAll('#steps-nodes tr[data-node]'))
    rows[tr.dataset.node] = tr.textContent;
  const current = document.querySelector('#steps-list li.current');
  return {
    current: current ? current.id : '',
    event: document.getElementById('steps-event').textContent,
    head: document.querySelector('#steps-event .head').textContent,
    violation: document.getElementById('steps-event').className === 'violation',
    position: document.getElementById('steps-position').textContent,
    rows: rows,
  };
})())JS";

}  // namespace

TEST_CASE("browser: stepping through Raft's Figure 8 changes the event and the nodes' state") {
  const std::string chromium = faultline::testing::chromium_binary();
  if (chromium.empty()) {
    MESSAGE("skipped: no chromium");
    return;
  }
  faultline::testing::TempDir dir;
  const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/figure8.json";
  const run::Scenario scenario = run::parse_scenario(path, run::load_scenario_document(path));
  run::RunFiles files(dir / "out", true);
  run::run_with_outputs(scenario, run::RunOptions{}, {}, files);

  Browser browser(chromium, kWindowWidth, kWindowHeight);
  browser.navigate("file://" + files.report);
  const nlohmann::json first = browser.evaluate(kStepShown);
  INFO(first.dump());
  CHECK(first["current"].get<std::string>().rfind("step-", 0) == 0);
  CHECK(first["rows"].size() == 6);  // s1..s5 and client1

  for (int i = 0; i < 3; ++i) browser.evaluate("document.getElementById('steps-next').click()");
  const nlohmann::json clicked = browser.evaluate(kStepShown);
  INFO(clicked.dump());
  CHECK(clicked["current"] != first["current"]);
  CHECK(clicked["event"] != first["event"]);
  CHECK(clicked["position"].get<std::string>().rfind("4 / ", 0) == 0);

  // Keys: → and j step on, ← and k back; somewhere along, a node's state changes.
  nlohmann::json keyed = clicked;
  for (int i = 0; i < 30 && keyed["rows"] == first["rows"]; ++i) {
    browser.press_key(i % 2 ? "j" : "ArrowRight");
    keyed = browser.evaluate(kStepShown);
  }
  INFO(keyed.dump());
  CHECK(keyed["rows"] != first["rows"]);
  const nlohmann::json before = keyed;
  browser.press_key("ArrowRight");
  browser.press_key("k");
  CHECK(browser.evaluate(kStepShown)["current"] == before["current"]);
  browser.press_key("ArrowLeft");
  CHECK(browser.evaluate(kStepShown)["current"] != before["current"]);

  // The slice's routine repeats are one step each, stepped onto like any event.
  const nlohmann::json folds = browser.evaluate(
      "Array.from(document.querySelectorAll('#steps-list li.fold')).filter((li) => "
      "!li.hidden).map((li) => li.id)");
  REQUIRE(folds.size() >= 1);
  browser.evaluate("document.getElementById('" + folds[0].get<std::string>() + "').click()");
  const nlohmann::json fold = browser.evaluate(kStepShown);
  CHECK(fold["current"] == folds[0]);
  CHECK(fold["head"].get<std::string>().find(" routine repeats, this the last") !=
        std::string::npos);

  // Filtered to one node, next goes only to that node's events.
  browser.evaluate(R"JS(for (const box of document.querySelectorAll('#steps-node-filter input'))
                          if (box.dataset.key !== 's1') box.click();)JS");
  for (int i = 0; i < 3; ++i) {
    browser.evaluate("document.getElementById('steps-next').click()");
    const std::string head = browser.evaluate(kStepShown)["head"];
    CHECK(head.find("  s1  ") != std::string::npos);
  }

  // The violation, and a story's step leads to its event.
  browser.evaluate("document.getElementById('steps-violation').click()");
  CHECK(browser.evaluate(kStepShown)["violation"] == true);
  const std::string target =
      browser.evaluate("document.querySelector('#story a.step-link').getAttribute('href')");
  browser.evaluate("document.querySelector('#story a.step-link').click()");
  CHECK("#" + browser.evaluate(kStepShown)["current"].get<std::string>() == target);

  std::string errors;
  for (const std::string& e : browser.errors()) errors += e + "\n";
  CHECK_MESSAGE(browser.errors().empty(), errors);
}

namespace {

// The linearizability picture as a reader sees it: the page's width, the failing operation's bar
// (in the viewport, not scrolled away), its numbered prefix and the state list.
constexpr const char* kPictureShown = R"JS((() => {
  const bar = document.querySelector('.linpic .part:not([style*="none"]) g.op.broken');
  let visible = false;
  if (bar) {
    const r = bar.querySelector('rect').getBoundingClientRect();
    const chart = bar.closest('.chart').getBoundingClientRect();
    const left = Math.max(r.left, chart.left), right = Math.min(r.right, chart.right);
    visible = right - left >= 3 && r.top >= Math.max(0, chart.top) &&
              r.bottom <= Math.min(window.innerHeight, chart.bottom);
  }
  return {
    scroll_width: document.documentElement.scrollWidth,
    broken: !!bar,
    visible: visible,
    numbered: document.querySelectorAll('.linpic .part:not([style*="none"]) g.op.lin').length,
    states: document.querySelectorAll('.linpic .part:not([style*="none"]) ol.steps .state').length,
    partitions: document.querySelectorAll('.linpic .part').length,
    info: document.querySelector('.linpic .info').textContent,
    view: document.querySelector('.linpic .part svg.lanes g.axis').textContent,
  };
})())JS";

}  // namespace

TEST_CASE("browser: check --html of Porcupine's c50-bad fits 1400 px with the failing op in view") {
  const std::string chromium = faultline::testing::chromium_binary();
  if (chromium.empty()) {
    MESSAGE("skipped: no chromium");
    return;
  }
  faultline::testing::TempDir dir;
  const std::string page = dir / "c50-bad.html";
  const faultline::testing::CommandResult result = faultline::testing::run_faultline(
      {"check", "--model", "kv",
       std::string(FAULTLINE_SHARED_DIR) + "/data/porcupine/kv/c50-bad.txt", "--html", page});
  REQUIRE(result.exit_code == 1);

  Browser browser(chromium, kWindowWidth, kWindowHeight);
  browser.navigate("file://" + page);
  const nlohmann::json shown = browser.evaluate(kPictureShown);
  INFO(shown.dump());
  CHECK(shown["scroll_width"].get<int>() <= kWindowWidth);
  CHECK(shown["broken"] == true);
  CHECK(shown["visible"] == true);
  CHECK(shown["numbered"].get<int>() > 0);
  CHECK(shown["states"].get<int>() > 0);
  CHECK(shown["partitions"].get<int>() == 10);  // the failing key first, the nine others to pick
  CHECK(shown["info"].get<std::string>().find("cannot be placed") != std::string::npos);

  // Zooming out changes the axis; the failing-operation button brings the bar back into view.
  browser.evaluate("document.querySelector('.linpic button[data-do=\"out\"]').click()");
  const nlohmann::json zoomed = browser.evaluate(kPictureShown);
  CHECK(zoomed["view"] != shown["view"]);
  browser.evaluate("document.querySelector('.linpic button[data-do=\"right\"]').click()");
  browser.evaluate("document.querySelector('.linpic button[data-do=\"home\"]').click()");
  CHECK(browser.evaluate(kPictureShown)["visible"] == true);
  // Another partition, picked in the select, is shown in place of the failing one.
  browser.evaluate(R"JS((() => { const s = document.querySelector('.linpic select.partsel');
                          s.value = '1'; s.dispatchEvent(new Event('change')); })())JS");
  CHECK(browser.evaluate(kPictureShown)["broken"] == false);

  std::string errors;
  for (const std::string& e : browser.errors()) errors += e + "\n";
  CHECK_MESSAGE(browser.errors().empty(), errors);
}

TEST_CASE("base64 as the DevTools protocol sends screenshots") {
  CHECK(faultline::testing::base64_decode("") == "");
  CHECK(faultline::testing::base64_decode("SGk=") == "Hi");
  CHECK(faultline::testing::base64_decode("SGVsbG8=") == "Hello");
  CHECK(faultline::testing::base64_decode("iVBORw0KGgo=") == "\x89PNG\r\n\x1a\n");
}

TEST_CASE("browser: the driver sees a script's error and a console error, and takes a PNG") {
  const std::string chromium = faultline::testing::chromium_binary();
  if (chromium.empty()) {
    MESSAGE("skipped: no chromium");
    return;
  }
  faultline::testing::TempDir dir;
  const std::string page = dir / "page.html";
  {
    std::ofstream out(page);
    out << "<!DOCTYPE html><html><body><p id=\"x\" style=\"width:2000px\">wide</p>"
           "<script>console.error('said so'); null.boom;</script></body></html>";
  }
  Browser browser(chromium, kWindowWidth, kWindowHeight);
  browser.navigate("file://" + page);
  REQUIRE(browser.errors().size() == 2);
  CHECK(browser.errors()[0].find("said so") != std::string::npos);
  CHECK(browser.errors()[1].find("TypeError") != std::string::npos);
  CHECK(browser.evaluate("document.documentElement.scrollWidth").get<int>() > kWindowWidth);
  CHECK(browser.evaluate("document.getElementById('x').textContent") == "wide");
  CHECK_THROWS(browser.evaluate("null.boom"));
  const std::string png = browser.screenshot_png();
  CHECK(png.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
}
