#pragma once
// The story of a violation: the few steps that matter, numbered, before any diagram. A reader of
// Raft's Figure 8 should see "partition; s1 leader of term 1; s5 leader of term 2; s2 crashes;
// … ; state-machine-safety broken" without reading 2,000 trace records. Read from the trace and
// the findings alone, so it knows no protocol: the faults in the violations' causal past, the
// notes the protocols write about their state ("leader of term 3", "presuming abort"), the
// messages between the nodes a violation involves, and each violation at the time it names.
// The causal past is reports/causal_slice.hpp's (happens-before), not computed again here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/finding.hpp"
#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

// The most steps a story tells by default: what a reader takes in at a glance.
constexpr size_t kStorySteps = 12;

enum class StoryStepKind : uint8_t { fault, note, message, operation, violation };

struct StoryStep {
  StoryStepKind kind = StoryStepKind::fault;
  int64_t at_ns = 0;               // true time; a violation's is the time it names
  std::vector<std::string> nodes;  // where (empty: the world, a partition or heal)
  std::string text;                // one line: "s2 crashes", "AppendEntries term=3 … s1→s2"
  uint64_t trace_index = 0;        // the record to look up (a message's delivery or loss)
};

struct Story {
  std::vector<StoryStep> steps;  // in order of true time, then trace order
  size_t omitted = 0;            // steps that were candidates but did not fit the bound
};

// The story of `findings` (the run's violations; none: an empty story) in `records`, at most
// `max_steps` steps. Every violation is told (the first max_steps if there are more). Then, by
// rank: faults at one instant as one step (a partition and two crashes at 420ms) and notes, those
// of the violations' nodes and the world's first, the most recent first, leaving a few places to
// messages; then up to seven messages and operations: the message each involved node acted on
// last before its violation and the first from one of them that arrived the instant it broke, a
// message between the involved nodes that a fault lost, messages between them and what their
// clients saw succeed, then messages with one of them; the most recent first within a rank, each
// with its outcome (delivered, lost and why, in flight). Routine repeats, which the causal slice
// folds, are not told. Deterministic: the same trace gives the same story.
Story violation_story(const std::vector<TraceRecord>& records, const std::vector<Finding>& findings,
                      size_t max_steps = kStorySteps);

// "s2", "s5→s3", "s1, s2, client1"; empty for the world.
std::string step_nodes(const StoryStep& step);

// The story as text, one line per step ("  1. 300ms  partition split {s1,s2} | {s3,s4,s5}  #404"),
// then "  … N routine steps omitted" when some were; each line starts with `indent`.
std::string story_text(const Story& story, const std::string& indent = "");

}  // namespace faultline::reports
