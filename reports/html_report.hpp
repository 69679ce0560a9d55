#pragma once
// The run report: one self-contained HTML file (inline CSS, SVG and script, no external assets)
// that can be attached to a bug or opened from CI artifacts years later. It says what was run,
// the verdict, the story of a violation (reports/story.hpp), why, how to reproduce it, and shows
// the diagram, a step-through of the run (reports/step_through.hpp) and the events around it.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/finding.hpp"
#include "base/markup_escape.hpp"
#include "reports/story.hpp"
#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

struct HtmlReport {
  std::string scenario;  // name or path of the scenario file
  uint64_t seed = 0;
  std::string verdict;  // "ok", "violation", "inconclusive", ...
  std::string
      reproduce_command;   // e.g. "faultline run scenarios/locks/lease-gc-pause.json --seed 1"
  std::string trace_hash;  // 16 hex digits
  std::vector<std::pair<std::string, std::string>> facts;  // further rows: strategy, duration...
  std::vector<Finding> violations;
  std::string svg;                  // the rendered diagram; empty: none (a note says so)
  std::vector<TraceRecord> events;  // the window of events to tabulate, in order
  std::vector<uint64_t> highlight_event_indices;
  // The violation's story (reports/story.hpp), told first; empty: none.
  Story story;
  // The step-through's data (reports/step_through.hpp); null: no step-through, and no script.
  nlohmann::json steps;
};

// Ids a reader's links (and the browser test) find: each violation's box is `violation-N` (from
// 1), each event's row of the table `row-N` and its box in the diagram `ev_N` (N its trace index;
// Graphviz would write a hyphen as an entity), the story `story`, the diagram `diagram`, the
// step-through `steps` and its events `step-N`, a violation's picture (Finding::figure_html)
// `figure-N`; with a step-through, each step of the story also
// links to its event there.
void write_html_report(std::ostream& out, const HtmlReport& report);

// Text safe inside HTML elements and quoted attributes (base/markup_escape.hpp).
inline std::string html_escape(std::string_view text) {
  return markup_escape(text);
}

}  // namespace faultline::reports
