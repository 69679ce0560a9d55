// The story of a violation: the faults, notes and messages of its causal past and the violation at
// its own time, in order, within a bound; on hand-built traces, then on Figure 8 and 2PC's
// decision-not-logged as a user runs them.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "../command.hpp"
#include "diagram_trace.hpp"
#include "reports/story.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

using namespace faultline;
using namespace faultline::reports;
using reports::testing::DiagramTrace;
using reports::testing::kMs;
using sim::TraceKind;

namespace {

std::vector<std::string> texts(const Story& story) {
  std::vector<std::string> out;
  for (const StoryStep& step : story.steps) out.push_back(step.text);
  return out;
}

bool tells(const Story& story, StoryStepKind kind, const std::string& words) {
  for (const StoryStep& step : story.steps) {
    if (step.kind == kind && step.text.find(words) != std::string::npos) return true;
  }
  return false;
}

// A leader elected behind a partition, crashed with a peer at one instant, and a write the
// violation is about; plus what the story must leave out.
DiagramTrace leader_trace() {
  DiagramTrace t;
  t.add(0, TraceKind::kConfig, "");                                  // 0
  t.add(1, TraceKind::kPartition, "").detail = "split {a,b} | {c}";  // 1
  t.add(2, TraceKind::kSend, "b", "a", 1, "Vote");                   // 2
  t.records.back().data = {{"type", "Vote"}, {"granted", true}};     //
  t.add(3, TraceKind::kDeliver, "a", "b", 1, "Vote");                // 3
  t.add(3, TraceKind::kNote, "a").detail = "leader of term 3";       // 4
  t.add(4, TraceKind::kCrash, "d");                                  // 5: d is never heard from
  t.add(5, TraceKind::kCrash, "b");                                  // 6: one instant,
  t.add(5, TraceKind::kPause, "a");                                  // 7: one step
  t.add(6, TraceKind::kResume, "a");                                 // 8
  t.add(7, TraceKind::kSend, "a", "b", 2, "Write");                  // 9
  t.records.back().data = {{"type", "Write"}, {"token", 1}};         //
  t.add(8, TraceKind::kDrop, "b", "a", 2, "Write").detail = "down";  // 10
  t.add(9, TraceKind::kNote, "a").detail = "too late";               // 11: after it
  t.add(20, TraceKind::kViolation, "").detail = "safety: broken";    // 12: recorded at the end
  return t;
}

Finding leader_finding() {
  return {.checker = "safety",
          .at_ns = 8 * kMs,
          .message = "broken",
          .involved = {"a", "b"},
          .trace_index = 12};
}

}  // namespace

TEST_CASE("a story: the past's faults and notes, its messages, the violation at its time") {
  const DiagramTrace t = leader_trace();
  const Story story = violation_story(t.records, {leader_finding()});
  CHECK(texts(story) == std::vector<std::string>{
                            "partition split {a,b} | {c}",
                            "b→a Vote granted=true",
                            "a: leader of term 3",
                            "b crashes; a paused",
                            "a resumes",
                            "a→b Write token=1 ✗ down",
                            "VIOLATION safety (a, b): broken",
                        });
  REQUIRE(story.steps.size() == 7);
  CHECK(story.omitted == 0);
  // Times and trace indices: a message is told where it ended, the violation where it broke.
  CHECK(story.steps[1].trace_index == 3);
  CHECK(story.steps[3].at_ns == 5 * kMs);
  CHECK(story.steps[3].trace_index == 6);
  CHECK(story.steps[3].nodes == std::vector<std::string>{"b", "a"});
  CHECK(story.steps[5].kind == StoryStepKind::message);
  CHECK(step_nodes(story.steps[5]) == "a→b");
  CHECK(story.steps[6].kind == StoryStepKind::violation);
  CHECK(story.steps[6].at_ns == 8 * kMs);
  CHECK(story.steps[6].trace_index == 12);
  CHECK(step_nodes(story.steps[0]).empty());  // the world's
  // The same trace, the same story.
  CHECK(texts(violation_story(t.records, {leader_finding()})) == texts(story));
  CHECK(story_text(story, "  ").rfind("  1. 1ms  partition split {a,b} | {c}  #1\n", 0) == 0);
}

TEST_CASE("no violation, no story") {
  const DiagramTrace t = leader_trace();
  CHECK(violation_story(t.records, {}).steps.empty());
  CHECK(story_text(violation_story(t.records, {})).empty());
}

TEST_CASE("a story never tells more than its bound, and says how much it left out") {
  DiagramTrace t;
  for (int64_t i = 0; i < 30; ++i) {
    t.add(i, TraceKind::kNote, "n").detail = "term " + std::to_string(i);
    t.add(i, TraceKind::kSend, "n", "m", 100 + i, "Append");
    t.add(i, TraceKind::kDeliver, "m", "n", 100 + i, "Append");
    t.records.back().data = {{"type", "Append"}, {"text", "entry " + std::to_string(i)}};
  }
  t.add(40, TraceKind::kViolation, "").detail = "x";
  const Finding finding{
      .checker = "x", .at_ns = 40 * kMs, .involved = {"m"}, .trace_index = t.records.size() - 1};
  const Story story = violation_story(t.records, {finding});
  CHECK(story.steps.size() == kStorySteps);
  CHECK(story.omitted == 30 + 30 + 1 - kStorySteps);
  CHECK(story.steps.back().kind == StoryStepKind::violation);
  // Room is kept for messages among many notes; the most recent of each are told.
  CHECK(tells(story, StoryStepKind::note, "term 29"));
  CHECK_FALSE(tells(story, StoryStepKind::note, "term 0"));
  CHECK(tells(story, StoryStepKind::message, "n→m Append"));
  CHECK(story_text(story).find("… 49 routine steps omitted\n") != std::string::npos);

  const Story small = violation_story(t.records, {finding}, 3);
  CHECK(small.steps.size() == 3);
  CHECK(small.steps.back().kind == StoryStepKind::violation);
}

TEST_CASE("routine repeats are not told; the violation's own instant comes after what led to it") {
  DiagramTrace t;
  for (uint64_t i = 1; i <= 5; ++i) {
    t.add(static_cast<int64_t>(i), TraceKind::kSend, "l", "f", i, "Heartbeat");
    t.add(static_cast<int64_t>(i), TraceKind::kDeliver, "f", "l", i, "Heartbeat");
  }
  t.add(9, TraceKind::kNote, "f").detail = "applied";
  t.add(9, TraceKind::kViolation, "").detail = "x";
  const Finding finding{.checker = "x", .at_ns = 9 * kMs, .involved = {"f"}, .trace_index = 11};
  const Story story = violation_story(t.records, {finding});
  // The first heartbeat shows what all five did; the last one is what f acted on.
  size_t heartbeats = 0;
  for (const StoryStep& step : story.steps) heartbeats += step.kind == StoryStepKind::message;
  CHECK(heartbeats <= 2);
  CHECK(story.steps.back().kind == StoryStepKind::violation);
  CHECK(story.steps[story.steps.size() - 2].text == "f: applied");
}

namespace {

Story catalog_story(const std::string& file, uint64_t seed) {
  const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/" + file;
  const run::Scenario scenario = run::parse_scenario(path, run::load_scenario_document(path));
  const run::RunOutcome outcome =
      run::run_scenario(scenario, run::RunOptions{.seed = seed, .keep_trace = true});
  REQUIRE_FALSE(outcome.violations.empty());
  return violation_story(outcome.trace, outcome.violations);
}

}  // namespace

TEST_CASE("figure8's story: the partitions, crashes, the four leaders and the violation") {
  const Story story = catalog_story("raft/figure8.json", 1);
  INFO(story_text(story));
  CHECK(story.steps.size() <= 12);
  for (const char* leader : {"s1: leader of term 1", "s5: leader of term 2", "s2: leader of term 9",
                             "s5: leader of term 12"}) {
    CHECK(tells(story, StoryStepKind::note, leader));
  }
  for (const char* fault : {"partition split {s1,s2} | {s3,s4,s5}", "s2 crashes", "s1 crashes",
                            "s5 crashes", "s5 restarts", "heal"}) {
    CHECK(tells(story, StoryStepKind::fault, fault));
  }
  CHECK(tells(story, StoryStepKind::violation, "VIOLATION state-machine-safety (s2, s5)"));
  CHECK(story.steps.back().kind == StoryStepKind::violation);
}

TEST_CASE(
    "2PC decision-not-logged's story: partition, crashes, the presumed abort, both violations") {
  const Story story = catalog_story("twopc/decision-not-logged.json", 1);
  INFO(story_text(story));
  CHECK(story.steps.size() <= 12);
  for (const char* fault :
       {"partition split", "coordinator crashes", "p1 crashes", "coordinator restarts"}) {
    CHECK(tells(story, StoryStepKind::fault, fault));
  }
  CHECK(tells(story, StoryStepKind::note, "coordinator: no decision logged for t1"));
  CHECK(tells(story, StoryStepKind::message, "coordinator→p2 Decision abort t1"));
  CHECK(tells(story, StoryStepKind::violation, "reversal"));
  CHECK(tells(story, StoryStepKind::violation, "agreement"));
}

TEST_CASE("faultline run prints the story after the violation") {
  faultline::testing::TempDir dir;
  for (const std::string file : {"raft/figure8.json", "twopc/decision-not-logged.json"}) {
    const auto result = faultline::testing::run_faultline(
        {"run", "scenarios/" + file, "--seed", "1", "--out", dir / "out"});
    INFO(result.out);
    CHECK(result.exit_code == 1);
    const size_t violation = result.out.find("  VIOLATION ");
    const size_t story = result.out.find("\n  story:\n");
    const size_t expected = result.out.find("\n  expected: ");
    REQUIRE(violation != std::string::npos);
    REQUIRE(story != std::string::npos);
    CHECK(violation < story);
    CHECK(story < expected);
    const std::string told = result.out.substr(story, expected - story);
    CHECK(told.find("     1. ") != std::string::npos);
    CHECK(told.find("    13. ") == std::string::npos);
    const bool violation_told = told.find(". 3.992968314s  VIOLATION") != std::string::npos ||
                                told.find(". 502ms  VIOLATION atomic-commit") != std::string::npos;
    CHECK(violation_told);
    // The report tells it first, each step a link.
    const std::string html = faultline::testing::read_text(dir / "out/report.html");
    const size_t list = html.find("<ol class=\"story\" id=\"story\">");
    CHECK(list != std::string::npos);
    CHECK(list < html.find("<h2>Violations</h2>"));
    CHECK(html.find("id=\"violation-1\"") != std::string::npos);
    CHECK(html.find("<li class=\"violation\"><a href=\"#ev_") != std::string::npos);
  }
}

TEST_CASE("the messages a story tells first: what broke it, and a decision a fault lost") {
  DiagramTrace t;
  t.add(1, TraceKind::kSend, "c", "p", 1, "Decision");
  t.records.back().data = {{"type", "Decision"}, {"commit", true}};
  t.add(2, TraceKind::kDrop, "p", "c", 1, "Decision").detail = "partition";
  for (uint64_t i = 0; i < 10; ++i) {  // later chatter between the two, each message different
    const int64_t ms = 10 + static_cast<int64_t>(i);
    t.add(ms, TraceKind::kSend, "p", "c", 10 + i, "Query");
    t.records.back().data = {{"type", "Query"}, {"text", "q" + std::to_string(i)}};
    t.add(ms, TraceKind::kDeliver, "c", "p", 10 + i, "Query");
  }
  t.add(30, TraceKind::kSend, "c", "store", 50, "Write");
  t.records.back().data = {{"type", "Write"}, {"token", 1}};
  t.add(31, TraceKind::kDeliver, "store", "c", 50, "Write");  // where it broke; store not involved
  t.add(40, TraceKind::kViolation, "").detail = "x";
  const Finding finding{.checker = "x",
                        .at_ns = 31 * kMs,
                        .involved = {"c", "p"},
                        .trace_index = t.records.size() - 1};
  const Story story = violation_story(t.records, {finding}, 4);
  CHECK(texts(story) == std::vector<std::string>{
                            "c→p Decision commit=true ✗ partition",
                            "p→c Query text=q9",
                            "c→store Write token=1",
                            "VIOLATION x (c, p): ",
                        });
  CHECK(story.omitted == 9);
}
