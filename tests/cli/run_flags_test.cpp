// `faultline run`'s flags as a user passes them: --no-diagram and what the run then names and
// lists, --diagram-events, --step-events, --set on fields inside arrays.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/cli/one_line_error.hpp"
#include "tests/command.hpp"

namespace faultline::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The diagram's caption: "showing N of M events: ..." (the DOT's graph label).
std::string diagram_caption(const std::string& dot_file) {
  const std::string dot = read_text(dot_file);
  const size_t at = dot.find("showing ");
  return at == std::string::npos ? "" : dot.substr(at, dot.find('"', at) - at);
}

// N in the caption's "showing N of".
size_t events_shown(const std::string& caption) {
  return std::stoul(caption.substr(std::string("showing ").size()));
}

}  // namespace

TEST_CASE(
    "run --no-diagram writes no diagram, names none, and its summary lists only files written") {
  TempDir out;
  const CommandResult r = run_faultline(
      {"run", "scenarios/locks/lease-gc-pause.json", "--no-diagram", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_FALSE(contains(r.out, "diagram"));
  CHECK_FALSE(fs::exists(out / "diagram.svg"));
  CHECK_FALSE(fs::exists(out / "diagram.dot"));
  CHECK_FALSE(fs::exists(out / "diagram.mmd"));
  const nlohmann::json files = read_json(out / "summary.json").at("files");
  CHECK_FALSE(files.contains("diagram_svg"));
  CHECK_FALSE(files.contains("diagram_dot"));
  CHECK_FALSE(files.contains("diagram_mermaid"));
  CHECK_FALSE(files.contains("shiviz_log"));
  CHECK_FALSE(fs::exists(out / "shiviz.log"));
  for (const auto& item : files.items()) {
    CAPTURE(item.key());
    CHECK(fs::exists(item.value().get<std::string>()));
  }
  CHECK(files.contains("report"));
  CHECK(files.contains("tape"));

  SUBCASE("--json prints the same summary") {
    const CommandResult json = run_faultline({"run", "scenarios/locks/lease-gc-pause.json",
                                              "--no-diagram", "--json", "--out", out.path()});
    CHECK_FALSE(nlohmann::json::parse(json.out).at("files").contains("diagram_svg"));
  }
}

TEST_CASE("run with its diagram names it, and every file the summary lists exists") {
  TempDir out;
  const CommandResult r =
      run_faultline({"run", "scenarios/locks/lease-gc-pause.json", "--out", out.path()});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.out, "  diagram  " + (out / "diagram.svg") + "\n"));
  const nlohmann::json files = read_json(out / "summary.json").at("files");
  CHECK(files.size() == 8);
  CHECK(files.at("diagram_mermaid") == out / "diagram.mmd");
  CHECK(files.at("shiviz_log") == out / "shiviz.log");
  // ShiViz's upload reads the parsing expression from the file's first line.
  CHECK(read_text(out / "shiviz.log").rfind("(?<time>\\S+) (?<event>.*)\\n(?<host>", 0) == 0);
  CHECK(read_text(out / "diagram.mmd")
            .rfind("---\ntitle: lease-gc-pause (unfenced), seed 1\n---\n"
                   "sequenceDiagram\n",
                   0) == 0);
  for (const auto& item : files.items()) {
    CAPTURE(item.key());
    CHECK(fs::exists(item.value().get<std::string>()));
  }
}

TEST_CASE("run --diagram-events bounds the violation's slice; 0 draws all of it") {
  TempDir few;
  TempDir all;
  const CommandResult bounded = run_faultline(
      {"run", "scenarios/raft/figure8.json", "--diagram-events", "20", "--out", few.path()});
  const CommandResult unbounded = run_faultline(
      {"run", "scenarios/raft/figure8.json", "--diagram-events", "0", "--out", all.path()});
  CHECK(bounded.exit_code == 1);
  CHECK(unbounded.exit_code == 1);
  const std::string few_caption = diagram_caption(few / "diagram.dot");
  const std::string all_caption = diagram_caption(all / "diagram.dot");
  INFO(few_caption << "\n" << all_caption);
  CHECK(contains(few_caption, "the causal past of the violation"));
  CHECK(contains(few_caption, "not drawn"));
  CHECK(contains(all_caption, "the causal past of the violation"));
  CHECK_FALSE(contains(all_caption, "not drawn"));
  CHECK(events_shown(few_caption) < events_shown(all_caption));

  check_one_line_error(run_faultline({"run", "scenarios/raft/figure8.json", "--diagram-events",
                                      "-3", "--out", few.path()}),
                       "--diagram-events");
}

// The step-through's data as report.html embeds it (reports/step_through.hpp).
nlohmann::json step_data(const std::string& report_file) {
  const std::string html = read_text(report_file);
  const std::string open = "id=\"steps-data\">";
  const size_t at = html.find(open);
  if (at == std::string::npos) return nullptr;
  const size_t from = at + open.size();
  return nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from));
}

TEST_CASE("run --step-events bounds the events the report's step-through carries; 0 carries all") {
  TempDir few;
  TempDir all;
  const CommandResult bounded = run_faultline(
      {"run", "scenarios/raft/figure8.json", "--step-events", "5", "--out", few.path()});
  const CommandResult unbounded = run_faultline(
      {"run", "scenarios/raft/figure8.json", "--step-events", "0", "--out", all.path()});
  CHECK(bounded.exit_code == 1);
  CHECK(unbounded.exit_code == 1);
  const nlohmann::json some = step_data(few / "report.html");
  const nlohmann::json every = step_data(all / "report.html");
  REQUIRE(some.is_object());
  REQUIRE(every.is_object());
  CHECK(some.at("cap") == 5);
  CHECK(some.at("left_out").get<uint64_t>() > 0);
  CHECK(every.at("cap") == 0);
  CHECK(every.at("left_out") == 0);
  CHECK(some.at("events").size() < every.at("events").size());

  check_one_line_error(run_faultline({"run", "scenarios/raft/figure8.json", "--step-events", "-3",
                                      "--out", few.path()}),
                       "--step-events");
}

TEST_CASE("--set reaches into arrays by index") {
  TempDir out;
  // The 15 s pause outlives the 10 s lease; cut to 5 s it does not, and nothing goes wrong.
  const CommandResult shorter =
      run_faultline({"run", "scenarios/locks/lease-gc-pause.json", "--set", "faults.0.for=5s",
                     "--no-diagram", "--out", out.path()});
  INFO(shorter.out << shorter.err);
  CHECK(shorter.exit_code == 0);
  CHECK(contains(shorter.out, "verdict: ok"));
  CHECK(contains(shorter.out, "reproduce") == false);
  CHECK(read_json(out / "tape.json").at("set") == nlohmann::json::array({"faults.0.for=5s"}));

  // The second fault, redis3's crash at 300ms, restarts 2 s later instead of 100ms later.
  const CommandResult restart =
      run_faultline({"run", "scenarios/locks/redlock-restart-unpersisted.json", "--set",
                     "faults.1.restart_after=2s", "--no-diagram", "--out", out.path()});
  INFO(restart.out << restart.err);
  std::ifstream trace(out / "trace.jsonl");
  std::vector<int64_t> restarts;
  for (std::string line; std::getline(trace, line);) {
    const nlohmann::json record = nlohmann::json::parse(line);
    if (record.value("kind", "") == "restart") restarts.push_back(record.at("t").get<int64_t>());
  }
  CHECK(restarts == std::vector<int64_t>{2'300'000'000});
  CHECK(read_json(out / "summary.json")
            .at("reproduce")
            .get<std::string>()
            .find("--set 'faults.1.restart_after=2s'") != std::string::npos);
}

TEST_CASE("--set with an index out of range names the path: one line, exit 2") {
  const std::string file = "scenarios/locks/lease-gc-pause.json";
  const CommandResult beyond = run_faultline({"run", file, "--set", "faults.3.for=5s"});
  CHECK(beyond.exit_code == 2);
  CHECK(beyond.out.empty());
  CHECK(beyond.err ==
        "faultline: " + file + ": faults.3: expected an index of faults from 0 to 0, got \"3\"\n");

  const CommandResult word = run_faultline({"run", file, "--set", "faults.first.for=5s"});
  CHECK(word.exit_code == 2);
  CHECK(word.err == "faultline: " + file +
                        ": faults.first: expected an index of faults from 0 to 0, got \"first\"\n");

  const CommandResult empty =
      run_faultline({"run", file, "--set", "checkers=[]", "--set", "checkers.0=mutual-exclusion"});
  CHECK(empty.exit_code == 2);
  CHECK(empty.err ==
        "faultline: " + file +
            ": checkers.0: expected an index of checkers, which is empty, got \"0\"\n");

  const CommandResult scalar = run_faultline({"run", file, "--set", "duration.x=1"});
  CHECK(scalar.exit_code == 2);
  CHECK(scalar.err == "faultline: " + file +
                          ": duration.x: expected an object or an array to set a field in, got "
                          "\"20s\"\n");
}

}  // namespace faultline::testing
