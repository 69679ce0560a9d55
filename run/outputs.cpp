#include "run/outputs.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "base/format_ns.hpp"
#include "reports/html_report.hpp"
#include "reports/mermaid_diagram.hpp"
#include "reports/shiviz_log.hpp"
#include "reports/spacetime_diagram.hpp"
#include "reports/story.hpp"
#include "reports/svg_render.hpp"
#include "run/output_file.hpp"

namespace faultline::run {

RunFiles::RunFiles(const std::string& directory, bool diagram)
    : dir(directory),
      trace(directory + "/trace.jsonl"),
      summary(directory + "/summary.json"),
      dot(diagram ? directory + "/diagram.dot" : ""),
      svg(diagram ? directory + "/diagram.svg" : ""),
      mermaid(diagram ? directory + "/diagram.mmd" : ""),
      shiviz(diagram ? directory + "/shiviz.log" : ""),
      report(directory + "/report.html"),
      tape(directory + "/tape.json"),
      history(directory + "/history.jsonl") {}

void RunFiles::require_replaceable() const {
  for (const std::string* file :
       {&trace, &summary, &dot, &svg, &mermaid, &shiviz, &report, &tape, &history}) {
    if (!file->empty()) run::require_replaceable(*file);
  }
}

std::string reproduce_command(const Scenario& scenario, const std::vector<std::string>& overrides,
                              uint64_t seed) {
  // A search's counterexample comes back from its search (its seed gives the nodes' draws).
  std::string command = scenario.search
                            ? "faultline explore " + scenario.file
                            : "faultline run " + scenario.file + " --seed " + std::to_string(seed);
  for (const std::string& o : overrides) command += " --set '" + o + "'";
  return command;
}

nlohmann::json run_summary(const Scenario& scenario, const RunOutcome& outcome,
                           const std::string& reproduce, const RunFiles* files) {
  nlohmann::json violations = nlohmann::json::array();
  for (const Finding& v : outcome.violations) {
    nlohmann::json j = {{"checker", v.checker},
                        {"at", format_ns(v.at_ns)},
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
      {"verdict", !outcome.violations.empty() ? "violation"
                  : outcome.undecided.empty() ? "ok"
                                              : "unknown"},
      {"violations", violations},
      {"simulated", format_ns(outcome.simulated_ns)},
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
  if (!outcome.sometimes.empty()) {
    nlohmann::json sometimes = nlohmann::json::object();
    for (const ReachedProperty& p : outcome.sometimes) {
      nlohmann::json j = {{"reached", p.reached}};
      if (p.reached) j.update({{"at", format_ns(p.at_ns)}, {"at_ns", p.at_ns}, {"event", p.event}});
      sometimes[p.name] = j;
    }
    summary["sometimes"] = sometimes;
  }
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
    nlohmann::json written = nlohmann::json::object();
    for (const auto& [key, path] : {std::pair{"trace", &files->trace},
                                    {"summary", &files->summary},
                                    {"diagram_dot", &files->dot},
                                    {"diagram_svg", &files->svg},
                                    {"diagram_mermaid", &files->mermaid},
                                    {"shiviz_log", &files->shiviz},
                                    {"report", &files->report},
                                    {"tape", &files->tape},
                                    {"history", &files->history}}) {
      if (!path->empty()) written[key] = *path;
    }
    summary["files"] = written;
    if (!files->history.empty()) summary["history_model"] = outcome.history_model;
  }
  return summary;
}

nlohmann::json tape_document(const Scenario& scenario, const std::vector<std::string>& overrides,
                             const RunOutcome& outcome) {
  nlohmann::json tape = {{"scenario", scenario.file},
                         {"set", overrides},
                         {"seed", outcome.seed},
                         {"trace_hash", outcome.trace_hash},
                         {"choices", outcome.tape.values}};
  // A search's counterexample: its untimed world, stepped this many times (run/world_search).
  if (outcome.untimed_steps) tape["untimed_steps"] = *outcome.untimed_steps;
  if (outcome.timed_steps) tape["timed_steps"] = *outcome.timed_steps;
  return tape;
}

reports::DiagramFocus diagram_focus(const RunOutcome& outcome) {
  reports::DiagramFocus focus;
  if (outcome.violations.empty()) return focus;
  // The diagram draws the violations' causal past (a window would centre on the first one);
  // every violation's nodes and instant are marked.
  focus.causal_slice = true;
  focus.max_events = kDiagramEvents;
  focus.violation_at_ns = outcome.violations.front().at_ns;
  std::set<std::pair<std::string, int64_t>> involved_at;  // (node, the instant it broke there)
  for (const Finding& v : outcome.violations) {
    focus.violations.push_back(v);
    for (const std::string& name : v.involved) {
      if (std::find(focus.nodes.begin(), focus.nodes.end(), name) == focus.nodes.end())
        focus.nodes.push_back(name);
      involved_at.insert({name, v.at_ns});
    }
  }
  auto involved = [&](const std::string& name) {
    return std::find(focus.nodes.begin(), focus.nodes.end(), name) != focus.nodes.end();
  };
  // Highlight what the findings are about: their involved processes' completed operations (what
  // they believed had happened), the events at the instants they broke, and the verdicts.
  for (const reports::TraceRecord& r : outcome.trace) {
    bool outcome_seen = r.kind == sim::TraceKind::kOperation && involved(r.node) &&
                        r.data.is_object() && r.data.value("type", "") == "ok";
    bool at_violation =
        involved_at.count({r.node, r.at_ns}) != 0 || involved_at.count({r.peer, r.at_ns}) != 0;
    bool is_violation = r.kind == sim::TraceKind::kViolation;
    if (outcome_seen || at_violation || is_violation)
      focus.highlight_event_indices.push_back(r.index);
  }
  return focus;
}

namespace {

std::string diagram_title(const Scenario& scenario, const RunOutcome& outcome) {
  return scenario.name + " (" + outcome.variant + "), seed " + std::to_string(outcome.seed);
}

std::string mermaid_text(const Scenario& scenario, const RunOutcome& outcome,
                         reports::DiagramFocus focus) {
  if (focus.max_events == 0 || focus.max_events > kMermaidEvents) focus.max_events = kMermaidEvents;
  std::ostringstream mermaid;
  write_mermaid_sequence(mermaid, outcome.trace, focus, diagram_title(scenario, outcome));
  return mermaid.str();
}

}  // namespace

std::string mermaid_diagram(const Scenario& scenario, const RunOutcome& outcome) {
  return mermaid_text(scenario, outcome, diagram_focus(outcome));
}

void write_run_outputs(const Scenario& scenario, const std::vector<std::string>& overrides,
                       const RunOutcome& outcome, RunFiles& files) {
  const std::string reproduce = reproduce_command(scenario, overrides, outcome.seed);
  reports::HtmlReport report;
  report.scenario = scenario.name;
  report.seed = outcome.seed;
  report.verdict = outcome.violations.empty() ? "ok" : "violation";
  report.reproduce_command = reproduce;
  report.trace_hash = outcome.trace_hash;
  report.facts = {{"protocol", scenario.protocol + " / " + outcome.variant},
                  {"file", scenario.file},
                  {"simulated", format_ns(outcome.simulated_ns)},
                  {"events", std::to_string(outcome.stats.events)}};
  if (!scenario.description.empty())
    report.facts.insert(report.facts.begin(), {"about", scenario.description});
  for (const Finding& v : outcome.violations) {
    Finding shown = v;
    if (!v.explanation.empty()) shown.message += " " + v.explanation;
    report.violations.push_back(std::move(shown));
  }

  if (!files.dot.empty()) {
    reports::DiagramFocus focus = diagram_focus(outcome);
    if (focus.causal_slice) focus.max_events = files.diagram_events;
    std::ostringstream dot;
    write_spacetime_dot(dot, outcome.trace, focus, diagram_title(scenario, outcome));
    write_file_atomically(files.dot, dot.str());
    try {
      report.svg = reports::render_svg(dot.str());
      write_file_atomically(files.svg, report.svg);
    } catch (const reports::RenderError& e) {
      report.facts.push_back({"diagram", std::string("not rendered: ") + e.what()});
      files.svg.clear();
    }
    write_file_atomically(files.mermaid, mermaid_text(scenario, outcome, focus));
    std::ostringstream shiviz;
    reports::write_shiviz_log(shiviz, outcome.trace, outcome.violations);
    write_file_atomically(files.shiviz, shiviz.str());
    // run_with_outputs told it already; an outcome from elsewhere has it told here. A story
    // with violations is never empty, so nothing is told twice.
    report.story = outcome.story.steps.empty()
                       ? reports::violation_story(outcome.trace, outcome.violations)
                       : outcome.story;
    // The table holds what the diagram draws, and every step of the story, so that each step
    // links to its record even when the diagram's bound left it out.
    std::vector<size_t> tabulated = reports::select_diagram_events(outcome.trace, focus);
    for (const reports::StoryStep& step : report.story.steps) {
      if (step.trace_index < outcome.trace.size() &&
          outcome.trace[step.trace_index].index == step.trace_index)
        tabulated.push_back(step.trace_index);
    }
    std::sort(tabulated.begin(), tabulated.end());
    tabulated.erase(std::unique(tabulated.begin(), tabulated.end()), tabulated.end());
    for (size_t i : tabulated) report.events.push_back(outcome.trace[i]);
    report.highlight_event_indices = focus.highlight_event_indices;
    report.steps = reports::step_through_data(outcome.trace, outcome.violations, report.story,
                                              files.step_events);
  }
  {
    OutputFile html(files.report);
    reports::write_html_report(html.stream(), report);
    html.commit();
  }
  write_file_atomically(files.tape, tape_document(scenario, overrides, outcome).dump() + "\n");
  if (outcome.history_model.empty()) {
    files.history.clear();
  } else {
    write_file_atomically(files.history, outcome.history_jsonl);
  }
  write_file_atomically(files.summary,
                        run_summary(scenario, outcome, reproduce, &files).dump(2) + "\n");
}

RunOutcome run_with_outputs(const Scenario& scenario, RunOptions options,
                            const std::vector<std::string>& overrides, RunFiles& files) {
  make_directories(files.dir);
  OutputFile trace(files.trace);
  options.trace_out = &trace.stream();
  options.keep_trace = !files.dot.empty();
  options.keep_history = true;
  RunOutcome outcome = run_scenario(scenario, options);
  trace.commit();
  if (options.keep_trace)
    outcome.story = reports::violation_story(outcome.trace, outcome.violations);
  write_run_outputs(scenario, overrides, outcome, files);
  return outcome;
}

}  // namespace faultline::run
