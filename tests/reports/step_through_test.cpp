#include "reports/step_through.hpp"

#include <sstream>

#include <doctest/doctest.h>

#include "diagram_trace.hpp"
#include "reports/html_report.hpp"

using namespace faultline;
using namespace faultline::reports;
using faultline::reports::testing::DiagramTrace;
using sim::TraceKind;

namespace {

// s1 leads, tells s2, s2 crashes, a partition cuts s1 off, s2 restarts, s3's clock jumps, the
// partition heals, a violation.
DiagramTrace three_nodes() {
  DiagramTrace t;
  t.add(0, TraceKind::kConfig, "").data = {{"clocks",
                                            {{"s1", {{"drift_ppm", 0}, {"offset", 0}}},
                                             {"s2", {{"drift_ppm", 0}, {"offset", 0}}},
                                             {"s3", {{"drift_ppm", 0}, {"offset", 0}}}}}};
  for (const char* n : {"s1", "s2", "s3"}) t.add(0, TraceKind::kStart, n);             // 1..3
  t.add(1, TraceKind::kNote, "s1").detail = "leader of term 1";                        // 4
  t.add(2, TraceKind::kSend, "s1", "s2", 1).data = {{"type", "Append"}, {"term", 1}};  // 5
  t.add(3, TraceKind::kDeliver, "s2", "s1", 1, "Append");                              // 6
  t.add(4, TraceKind::kCrash, "s2");                                                   // 7
  TraceRecord& cut = t.add(5, TraceKind::kPartition, "");                              // 8
  cut.detail = "isolate {s1}";
  cut.data = {{"groups", {{"s1"}}}, {"id", 1}, {"mode", "isolate"}};
  t.add(6, TraceKind::kRestart, "s2");                        // 9
  TraceRecord& jump = t.add(7, TraceKind::kClockJump, "s3");  // 10
  jump.detail = "+5s";
  jump.local_ns = 7 * testing::kMs;
  jump.wall_ns = jump.local_ns + 5000000000;
  TraceRecord& drift = t.add(8, TraceKind::kClockDrift, "s3");  // 11
  drift.detail = "-100000ppm";
  drift.local_ns = 8 * testing::kMs;
  drift.wall_ns = drift.local_ns + 5000000000;
  t.add(9, TraceKind::kNote, "s1").detail = "leader of term 2 </script><!--";    // 12
  t.add(10, TraceKind::kHeal, "");                                               // 13
  t.add(11, TraceKind::kViolation, "").detail = "election-safety: two leaders";  // 14
  return t;
}

RunState state_after(const std::vector<TraceRecord>& records, size_t last) {
  RunState state;
  for (size_t i = 0; i <= last; ++i) state.apply(records[i]);
  return state;
}

// The state the page shows at event `i`: every carried event's changes merged up to it.
nlohmann::json shown_at(const nlohmann::json& data, uint64_t i) {
  nlohmann::json nodes = nlohmann::json::object();
  for (const nlohmann::json& e : data["events"]) {
    if (e.contains("nodes")) {
      for (const auto& [name, change] : e["nodes"].items()) {
        for (const auto& [key, value] : change.items()) {
          if (value.is_null()) {
            nodes[name].erase(key);
          } else {
            nodes[name][key] = value;
          }
        }
      }
    }
    if (e["i"] == i) return nodes;
  }
  FAIL("event " << i << " not carried");
  return nodes;
}

}  // namespace

TEST_CASE("step-through: a node's state follows its crash and restart, notes and messages") {
  const DiagramTrace t = three_nodes();
  CHECK(state_after(t.records, 0).nodes().at("s2").status == "not started");
  CHECK(state_after(t.records, 6).nodes().at("s2").status == "up");
  CHECK(state_after(t.records, 7).nodes().at("s2").status == "down");
  CHECK(state_after(t.records, 9).nodes().at("s2").status == "up");

  const RunState at6 = state_after(t.records, 6);
  REQUIRE(at6.nodes().at("s1").notes.size() == 1);
  CHECK(at6.nodes().at("s1").notes[0] == StepMark{4, "leader of term 1"});
  CHECK(at6.nodes().at("s1").sent == StepMark{5, "→s2 Append term=1"});
  // A delivery's record carries the type only; the label comes from the send's payload.
  CHECK(at6.nodes().at("s2").received == StepMark{6, "←s1 Append term=1"});

  const nlohmann::json data = step_through_data(t.records, {}, {});
  CHECK(shown_at(data, 7)["s2"]["status"] == "down");
  CHECK(shown_at(data, 9)["s2"]["status"] == "up");
  CHECK(shown_at(data, 12)["s1"]["notes"] ==
        nlohmann::json::parse(
            R"([[4, "leader of term 1"], [12, "leader of term 2 </script><!--"]])"));
  // Only what changed is carried at each event: s2's restart changes s2's status alone.
  for (const nlohmann::json& e : data["events"]) {
    if (e["i"] == 9) CHECK(e["nodes"] == nlohmann::json{{"s2", {{"status", "up"}}}});
    if (e["i"] == 13) CHECK(e["nodes"]["s1"] == nlohmann::json{{"cut", nullptr}});
  }
}

TEST_CASE("step-through: the links a partition cuts, and clocks a fault moved") {
  const DiagramTrace t = three_nodes();
  const RunState cut = state_after(t.records, 8);
  CHECK(cut.partitions() == std::vector<std::string>{"isolate {s1}"});
  CHECK(cut.nodes().at("s1").cut_to == std::set<std::string>{"s2", "s3"});
  CHECK(cut.nodes().at("s2").cut_from == std::set<std::string>{"s1"});
  CHECK(cut.nodes().at("s2").cut_to == std::set<std::string>{"s1"});

  const nlohmann::json data = step_through_data(t.records, {}, {});
  CHECK(shown_at(data, 8)["s1"]["cut"] == "⇄ s2, s3");
  CHECK(shown_at(data, 8)["s3"]["cut"] == "⇄ s1");
  CHECK_FALSE(shown_at(data, 7)["s1"].contains("cut"));
  CHECK_FALSE(shown_at(data, 13)["s1"].contains("cut"));  // healed
  CHECK_FALSE(shown_at(data, 9)["s3"].contains("clock"));
  CHECK(shown_at(data, 10)["s3"]["clock"] == "wall +5s");
  CHECK(shown_at(data, 11)["s3"]["clock"] == "wall +5s, drift -100000ppm");
  for (const nlohmann::json& e : data["events"]) {
    if (e["i"] == 8) CHECK(e["world"] == nlohmann::json::array({"isolate {s1}"}));
    if (e["i"] == 13) CHECK(e["world"] == nlohmann::json::array());
  }
}

TEST_CASE("step-through: what the filters offer, the violation marked, the payload at hand") {
  const DiagramTrace t = three_nodes();
  Finding finding{"election-safety", 11 * testing::kMs, "two leaders", {"s1"}};
  finding.trace_index = 14;
  const nlohmann::json data = step_through_data(t.records, {finding}, {});
  CHECK(data["nodes"] == nlohmann::json::array({"s1", "s2", "s3"}));
  CHECK(data["types"] == nlohmann::json::array({"Append"}));
  CHECK(data["records"] == 15);
  CHECK(data["left_out"] == 0);
  CHECK(data["events"].size() == 14);  // all but the config record
  CHECK(data["payloads"]["1"] == nlohmann::json{{"type", "Append"}, {"term", 1}});
  for (const nlohmann::json& e : data["events"]) {
    CAPTURE(e.dump());
    CHECK(e.contains("type") == (e["i"] == 5 || e["i"] == 6));
    CHECK(e.value("violation", false) == (e["i"] == 14));
    if (e["i"] == 6) CHECK(e["text"] == "s1→s2 Append term=1 delivered");
    if (e["i"] == 14) CHECK_FALSE(e.contains("text"));  // its detail says it
  }
  // The violation's causal past: s1's note and send, not s3's clock.
  auto in_slice = [&data](uint64_t i) {
    for (const nlohmann::json& e : data["events"])
      if (e["i"] == i) return e.value("slice", false);
    return false;
  };
  CHECK(in_slice(4));
  CHECK(in_slice(14));
  CHECK_FALSE(in_slice(10));
}

TEST_CASE("step-through: the slice's routine repeats are one step, after the last of them") {
  DiagramTrace t;
  uint64_t msg = 0;
  // Ten heartbeats a -> b, the same but for a counter: the slice draws the first and folds nine.
  for (int i = 1; i <= 10; ++i) {
    ++msg;
    t.add(10 * i, TraceKind::kSend, "a", "b", msg).data = {{"type", "Beat"}, {"n", i}};
    t.add(10 * i + 1, TraceKind::kDeliver, "b", "a", msg, "Beat");
  }
  t.add(200, TraceKind::kNote, "b").detail = "decided";
  const uint64_t violation = t.records.size();
  t.add(200, TraceKind::kViolation, "").detail = "boom";
  Finding finding{"boom", 200 * testing::kMs, "boom", {"b"}};
  finding.trace_index = violation;
  const nlohmann::json data = step_through_data(t.records, {finding}, {});
  std::vector<nlohmann::json> folds;
  for (const nlohmann::json& e : data["events"])
    if (e["kind"] == "fold") folds.push_back(e);
  REQUIRE(folds.size() == 1);
  const nlohmann::json& fold = folds[0];
  CHECK(fold["text"] == "×9 Beat a→b n 2..10 (repeats)");
  CHECK(fold["fold"] == 9);
  CHECK(fold["slice"] == true);
  CHECK(fold["node"] == "a");
  CHECK(fold["peer"] == "b");
  CHECK(fold["type"] == "Beat");
  CHECK(fold["i"] == 19);  // the last delivery folded
  // It comes right after that record's own event (carried: recent), and shows b's state after
  // the last heartbeat it received.
  const nlohmann::json& events = data["events"];
  for (size_t k = 0; k + 1 < events.size(); ++k) {
    if (events[k + 1]["kind"] == "fold") CHECK(events[k]["i"] == 19);
  }
  CHECK(shown_at(data, 19)["b"]["received"][0] == 19);
  // Only the first heartbeat, not the folded ones, is in the slice itself.
  size_t slice_messages = 0;
  for (const nlohmann::json& e : data["events"])
    if (e.value("slice", false) && e["kind"] != "fold" && e.contains("type")) ++slice_messages;
  CHECK(slice_messages == 2);  // the first send and its delivery
  // The page steps over the repeats at once: a fold is listed with an id of its own.
  std::ostringstream page;
  write_step_through(page, data);
  CHECK(page.str().find("1 step that stands for routine repeats") != std::string::npos);
}

TEST_CASE("step-through: a cap carries the most recent events, the story's and the slice's") {
  const DiagramTrace t = three_nodes();
  Story story;
  story.steps.push_back({StoryStepKind::note, 1 * testing::kMs, {"s1"}, "s1: leader", 4});
  const nlohmann::json data = step_through_data(t.records, {}, story, 3);
  std::vector<uint64_t> carried;
  for (const nlohmann::json& e : data["events"]) carried.push_back(e["i"].get<uint64_t>());
  CHECK(carried == std::vector<uint64_t>{4, 12, 13, 14});
  CHECK(data["left_out"] == 10);
  CHECK(data["cap"] == 3);
  // The first event carried holds every node's state, from every record before it.
  CHECK(data["events"][0]["nodes"].size() == 3);
  CHECK(data["events"][0]["nodes"]["s2"]["status"] == "up");
  CHECK(data["events"][1]["nodes"]["s2"]["received"][0] == 6);
  CHECK(shown_at(data, 12)["s2"]["status"] == "up");
}

TEST_CASE("step-through: the same from a trace read back from its file") {
  const DiagramTrace t = three_nodes();
  std::stringstream file;
  for (const TraceRecord& r : t.records) file << format_trace_line(r) << "\n";
  const std::vector<TraceRecord> read = read_trace_jsonl(file, "trace.jsonl");
  CHECK(step_through_data(read, {}, {}) == step_through_data(t.records, {}, {}));
}

TEST_CASE("step-through: a payload cannot close the script element that carries it") {
  const nlohmann::json data = {{"text", "</script><script>alert(1)</script><!-- & -->"}};
  const std::string text = script_json(data);
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find('&') == std::string::npos);
  CHECK(nlohmann::json::parse(text) == data);

  const DiagramTrace t = three_nodes();
  HtmlReport report;
  report.scenario = "three";
  report.verdict = "violation";
  report.steps = step_through_data(t.records, {}, {});
  std::ostringstream out;
  write_html_report(out, report);
  const std::string html = out.str();
  const std::string open = "<script type=\"application/json\" id=\"steps-data\">";
  const size_t start = html.find(open);
  REQUIRE(start != std::string::npos);
  const size_t end = html.find("</script>", start);
  CHECK(nlohmann::json::parse(html.substr(start + open.size(), end - start - open.size())) ==
        report.steps);
  CHECK(html.find("<section id=\"steps\">") != std::string::npos);
  CHECK(html.find("src=") == std::string::npos);  // nothing fetched
}
