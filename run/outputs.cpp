#include "run/outputs.hpp"

#include <algorithm>
#include <sstream>

#include "checkers/finding.hpp"
#include "reports/html_report.hpp"
#include "reports/spacetime_diagram.hpp"
#include "reports/svg_render.hpp"
#include "run/output_file.hpp"

namespace faultline::run {

RunFiles::RunFiles(const std::string& directory)
    : dir(directory),
      trace(directory + "/trace.jsonl"),
      summary(directory + "/summary.json"),
      dot(directory + "/diagram.dot"),
      svg(directory + "/diagram.svg"),
      report(directory + "/report.html"),
      tape(directory + "/tape.json") {}

void RunFiles::require_replaceable() const {
  for (const std::string* file : {&trace, &summary, &dot, &svg, &report, &tape}) {
    run::require_replaceable(*file);
  }
}

std::string reproduce_command(const Scenario& scenario, const std::vector<std::string>& overrides,
                              uint64_t seed) {
  std::string command = "faultline run " + scenario.file + " --seed " + std::to_string(seed);
  for (const std::string& o : overrides) command += " --set '" + o + "'";
  return command;
}

nlohmann::json run_summary(const Scenario& scenario, const RunOutcome& outcome,
                           const std::string& reproduce, const RunFiles* files) {
  nlohmann::json violations = nlohmann::json::array();
  for (const RunViolation& v : outcome.violations) {
    nlohmann::json j = {{"checker", v.checker},
                        {"at", checkers::format_ns(v.at_ns)},
                        {"at_ns", v.at_ns},
                        {"message", v.message},
                        {"involved", v.involved}};
    if (!v.explanation.empty()) j["explanation"] = v.explanation;
    violations.push_back(j);
  }
  nlohmann::json summary = {
      {"scenario", scenario.name},
      {"file", scenario.file},
      {"protocol", scenario.protocol},
      {"variant", outcome.variant},
      {"seed", outcome.seed},
      {"checkers", outcome.checkers},
      {"verdict", outcome.violations.empty() ? "ok" : "violation"},
      {"violations", violations},
      {"simulated", checkers::format_ns(outcome.simulated_ns)},
      {"simulated_ns", outcome.simulated_ns},
      {"stats",
       {{"events", outcome.stats.events},
        {"messages_sent", outcome.stats.messages_sent},
        {"messages_delivered", outcome.stats.messages_delivered},
        {"messages_dropped", outcome.stats.messages_dropped},
        {"timers_fired", outcome.stats.timers_fired},
        {"faults", outcome.stats.faults}}},
      {"figures", outcome.figures},
      {"reproduce", reproduce},
  };
  if (scenario.expect) {
    summary["expect"] = scenario.expect->ok
                            ? nlohmann::json("ok")
                            : nlohmann::json{{"violation", scenario.expect->violation}};
    summary["expect_met"] = outcome.expectation_met;
  }
  if (!outcome.trace_hash.empty()) {
    summary["trace_hash"] = outcome.trace_hash;
    summary["trace_events"] = outcome.trace_events;
  }
  if (files) {
    summary["files"] = {{"trace", files->trace},     {"summary", files->summary},
                        {"diagram_dot", files->dot}, {"diagram_svg", files->svg},
                        {"report", files->report},   {"tape", files->tape}};
  }
  return summary;
}

nlohmann::json tape_document(const Scenario& scenario, const std::vector<std::string>& overrides,
                             const RunOutcome& outcome) {
  return {{"scenario", scenario.file},
          {"set", overrides},
          {"seed", outcome.seed},
          {"trace_hash", outcome.trace_hash},
          {"choices", outcome.tape.values}};
}

namespace {

reports::DiagramFocus diagram_focus(const RunOutcome& outcome) {
  reports::DiagramFocus focus;
  if (outcome.violations.empty()) return focus;
  const RunViolation& v = outcome.violations.front();
  focus.violation_at_ns = v.at_ns;
  focus.nodes = v.involved;
  auto involved = [&](const std::string& name) {
    return std::find(v.involved.begin(), v.involved.end(), name) != v.involved.end();
  };
  // Highlight what the finding is about: its involved processes' completed operations (what they
  // believed had happened), the events at the instant it broke, and the verdict itself.
  for (const reports::TraceRecord& r : outcome.trace) {
    bool outcome_seen = r.kind == sim::TraceKind::kOperation && involved(r.node) &&
                        r.data.is_object() && r.data.value("type", "") == "ok";
    bool at_violation = r.at_ns == v.at_ns && (involved(r.node) || involved(r.peer));
    bool is_violation = r.kind == sim::TraceKind::kViolation;
    if (outcome_seen || at_violation || is_violation)
      focus.highlight_event_indices.push_back(r.index);
  }
  return focus;
}

}  // namespace

void write_run_outputs(const Scenario& scenario, const std::vector<std::string>& overrides,
                       const RunOutcome& outcome, const RunFiles& files, bool diagram) {
  const std::string reproduce = reproduce_command(scenario, overrides, outcome.seed);
  reports::HtmlReport report;
  report.scenario = scenario.name;
  report.seed = outcome.seed;
  report.verdict = outcome.violations.empty() ? "ok" : "violation";
  report.reproduce_command = reproduce;
  report.trace_hash = outcome.trace_hash;
  report.facts = {{"protocol", scenario.protocol + " / " + outcome.variant},
                  {"file", scenario.file},
                  {"simulated", checkers::format_ns(outcome.simulated_ns)},
                  {"events", std::to_string(outcome.stats.events)}};
  if (!scenario.description.empty())
    report.facts.insert(report.facts.begin(), {"about", scenario.description});
  for (const RunViolation& v : outcome.violations) {
    std::string message = v.message + (v.explanation.empty() ? "" : " " + v.explanation);
    report.violations.push_back({v.checker, v.at_ns, message, v.involved});
  }

  if (diagram) {
    reports::DiagramFocus focus = diagram_focus(outcome);
    std::ostringstream dot;
    write_spacetime_dot(
        dot, outcome.trace, focus,
        scenario.name + " (" + outcome.variant + "), seed " + std::to_string(outcome.seed));
    write_file_atomically(files.dot, dot.str());
    try {
      report.svg = reports::render_svg(dot.str());
      write_file_atomically(files.svg, report.svg);
    } catch (const reports::RenderError& e) {
      report.facts.push_back({"diagram", std::string("not rendered: ") + e.what()});
    }
    for (size_t i : reports::select_diagram_events(outcome.trace, focus)) {
      report.events.push_back(outcome.trace[i]);
    }
    report.highlight_event_indices = focus.highlight_event_indices;
  }
  {
    OutputFile html(files.report);
    reports::write_html_report(html.stream(), report);
    html.commit();
  }
  write_file_atomically(files.tape, tape_document(scenario, overrides, outcome).dump() + "\n");
  write_file_atomically(files.summary,
                        run_summary(scenario, outcome, reproduce, &files).dump(2) + "\n");
}

}  // namespace faultline::run
