// What a run's diagram focuses on, from its outcome (run/outputs.hpp).
#include <doctest/doctest.h>

#include <algorithm>

#include "run/outputs.hpp"

namespace faultline::run {
namespace {

reports::TraceRecord record(uint64_t index, int64_t at_ns, sim::TraceKind kind,
                            const std::string& node, const std::string& peer = "") {
  reports::TraceRecord r;
  r.index = index;
  r.at_ns = at_ns;
  r.kind = kind;
  r.node = node;
  r.peer = peer;
  return r;
}

bool has(const std::vector<uint64_t>& indices, uint64_t index) {
  return std::find(indices.begin(), indices.end(), index) != indices.end();
}

}  // namespace

TEST_CASE("the diagram focuses on every violation, not only the first") {
  RunOutcome outcome;
  outcome.trace = {
      record(0, 100, sim::TraceKind::kTimer, "client1"),
      record(1, 100, sim::TraceKind::kSend, "s1", "s2"),
      record(2, 200, sim::TraceKind::kDeliver, "s2", "s1"),
      record(3, 300, sim::TraceKind::kTimer, "s3"),
      record(4, 900, sim::TraceKind::kViolation, ""),  // both recorded when the run ended
      record(5, 900, sim::TraceKind::kViolation, ""),
  };
  outcome.violations = {
      Finding{.checker = "mutual-exclusion",
              .at_ns = 100,
              .message = "held twice",
              .involved = {"client1"},
              .trace_index = 4},
      Finding{.checker = "agreement",
              .at_ns = 200,
              .message = "decided twice",
              .involved = {"s2", "s1"},
              .trace_index = 5},
  };
  const reports::DiagramFocus focus = diagram_focus(outcome);
  CHECK(focus.violation_at_ns == 100);
  CHECK(focus.nodes == std::vector<std::string>{"client1", "s2", "s1"});
  CHECK(has(focus.highlight_event_indices, 0));        // client1 at the first violation
  CHECK(has(focus.highlight_event_indices, 2));        // s2 and s1 at the second
  CHECK_FALSE(has(focus.highlight_event_indices, 1));  // s1, but not when it broke
  CHECK_FALSE(has(focus.highlight_event_indices, 3));
  CHECK(has(focus.highlight_event_indices, 4));
  CHECK(has(focus.highlight_event_indices, 5));
  REQUIRE(focus.violations.size() == 2);
  CHECK(focus.violations[1].trace_index == 5);
  CHECK(focus.violations[1].at_ns == 200);
}

}  // namespace faultline::run
