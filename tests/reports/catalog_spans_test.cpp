// Spans in the diagrams of catalog runs, one of each kind: the lease's GC pause, 2PC's crashed
// coordinator (restarted, and never restarted), 3PC's partition. Each drawn from the record that
// began it to the one that ended it, or clipped to what is drawn (the violation's causal slice)
// where either is outside it.
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "reports/spacetime_diagram.hpp"
#include "run/outputs.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/reports/diagram_geometry.hpp"

using namespace faultline;

namespace {

struct Diagrams {
  std::string dot;
  std::string mermaid;
};

Diagrams diagrams_of(const std::string& file) {
  const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/" + file;
  const run::Scenario scenario = run::parse_scenario(path, run::load_scenario_document(path));
  const run::RunOutcome outcome =
      run::run_scenario(scenario, run::RunOptions{.seed = 1, .keep_trace = true});
  std::ostringstream dot;
  reports::write_spacetime_dot(dot, outcome.trace, run::diagram_focus(outcome));
  reports::testing::check_geometry(dot.str());
  return {dot.str(), run::mermaid_diagram(scenario, outcome)};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr const char* kPauseBar =
    " [arrowhead=none, color=\"#f59f00\", penwidth=7, fontcolor=\"#9a4f00\"";
constexpr const char* kDownBar =
    " [arrowhead=none, color=\"#57606a\", penwidth=7, fontcolor=\"#24292f\"";
constexpr const char* kPartitionBar =
    " [arrowhead=none, color=\"#ff8182\", penwidth=7, fontcolor=\"#a40e26\"";

}  // namespace

TEST_CASE("lease-gc-pause: client1's 15 s pause is a bar from its pause to its resume") {
  const Diagrams d = diagrams_of("scenarios/locks/lease-gc-pause.json");
  // Trace records 33 (pause at 50ms) and 115 (resume at 15.05s), both on client1.
  CHECK(contains(d.dot, "e33 -> e115" + std::string(kPauseBar) + ", xlabel=\"paused 15s\"];"));
  CHECK(contains(d.mermaid, "  participant P0 as client1\n"));
  CHECK(contains(d.mermaid, "  Note over P0: 50ms pause — paused 15s\n  activate P0\n"));
  CHECK(contains(d.mermaid, "  deactivate P0\n  Note over P0: 15.05s resume — paused 15s\n"));
}

TEST_CASE("2pc decision-not-logged: the crashed coordinator and p1 are down until they restart") {
  const Diagrams d = diagrams_of("scenarios/twopc/decision-not-logged.json");
  // The coordinator crashes at 4.5ms (e39) and restarts at 500ms (e90); the messages dropped at
  // it meanwhile sit on its bar, labelled on its first stretch with room beside it.
  CHECK(contains(d.dot, "e29 -> e39 [arrowhead=none, color=\"#afb8c1\"];"));
  CHECK(contains(d.dot, "e39 -> e41" + std::string(kDownBar) + "];"));
  CHECK(contains(d.dot, "e41 -> e58" + std::string(kDownBar) + ", xlabel=\"down 495.5ms\"];"));
  CHECK(contains(d.dot, "e58 -> e59 -> e71 -> e74 -> e90" + std::string(kDownBar) + "];"));
  // p1 crashes at 5ms (e40) and restarts at 2s, after the violations: the slice ends at them, so
  // p1's bar runs to the bottom of its lifeline and says until when. The messages lost at p1
  // meanwhile sit on it.
  CHECK(contains(d.dot,
                 "e40 -> e70" + std::string(kDownBar) + ", xlabel=\"down 1.995s\\nuntil 2s\"];"));
  CHECK(contains(d.dot,
                 "e70 -> e75 -> e92 -> e103 -> e114 -> m2_124" + std::string(kDownBar) + "];"));
  CHECK(contains(d.mermaid, "  Note over P0: 4.5ms CRASH — down 495.5ms\n  activate P0\n"));
  CHECK(contains(d.mermaid, "  deactivate P0\n  Note over P0: 500ms restart — down 495.5ms\n"));
  // Its restart is past the violations: in Mermaid too its bar closes at the bottom.
  CHECK(contains(d.mermaid, "  Note over P2: 5ms CRASH — down 1.995s (until 2s)\n  activate P2\n"));
  CHECK(contains(d.mermaid, "  Note over P2: down 1.995s (until 2s)\n  deactivate P2\n"));
}

TEST_CASE("2pc coordinator-crash-blocks: the crash long before the violation is in its slice") {
  const Diagrams d = diagrams_of("scenarios/twopc/coordinator-crash-blocks.json");
  // The coordinator crashed at 2.5ms (e23), long before the liveness violation at 5.0025s, and
  // never restarts. Its last messages are in the participants' causal past, so its crash is
  // drawn (a window around the violation left it out); its bar runs from the crash to the bottom,
  // measured to the last instant drawn, the violation's.
  CHECK(reports::testing::check_geometry(d.dot).nodes.at("h3").attributes.rfind(
            "label=\"coordinator\"", 0) == 0);
  CHECK(contains(d.dot, "-> e23 [arrowhead=none, color=\"#afb8c1\"];"));
  // The queries lost at it meanwhile sit on the bar.
  CHECK(contains(d.dot, "e23 -> e24 -> e25 -> e26" + std::string(kDownBar) + "];"));
  CHECK(contains(d.dot,
                 "e26 -> e48" + std::string(kDownBar) + ", xlabel=\"down 5s, not restarted\"];"));
  CHECK(contains(d.mermaid, "  participant P3 as coordinator\n"));
  CHECK(
      contains(d.mermaid, "  Note over P3: 2.5ms CRASH — down 5s, not restarted\n  activate P3\n"));
  CHECK(contains(d.mermaid, "  Note over P3: down 5s, not restarted\n  deactivate P3\n"));
}

TEST_CASE("3pc partition-split-decision: the partition is a band naming its sides until its heal") {
  const Diagrams d = diagrams_of("scenarios/threepc/partition-split-decision.json");
  // Partition at 3.5ms (e29), healed at 2.0035s (e384); the violation (e545) is drawn at the time
  // it names, 502ms, inside the partition. The heal is after the violation, outside its slice:
  // the band runs on to the bottom and says until when.
  CHECK(contains(d.dot, "h5 -> m5_0 -> e29 [arrowhead=none, color=\"#afb8c1\"];"));
  CHECK(contains(d.dot, "e29 -> e545" + std::string(kPartitionBar) +
                            ", xlabel=\"partition split {coordinator,p1,client} | {p2,p3}  "
                            "2s\\nuntil 2.0035s\"];"));
  CHECK(contains(d.dot, "e545 -> m5_384 -> t5" + std::string(kPartitionBar) + "];"));
  // In Mermaid too the band closes at its bottom.
  CHECK(contains(d.mermaid,
                 "  rect rgb(255, 236, 204)\n"
                 "  Note over P0,P4: 3.5ms partition split {coordinator,p1,client} | "
                 "{p2,p3} — 2s (until 2.0035s)\n"));
  const std::string bottom =
      "  Note over P0,P4: partition split {coordinator,p1,client} | {p2,p3}  2s (until "
      "2.0035s)\n  end\n";
  CHECK(d.mermaid.substr(d.mermaid.size() - bottom.size()) == bottom);
}
