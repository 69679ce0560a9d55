// `faultline audit` as a user runs it: a run's own trace keeps every law (exit 0); a trace edited
// to break one is named by record and law (exit 1); what is not a trace is one line and exit 2.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "tests/command.hpp"

namespace faultline::testing {
namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A run's trace with the first line holding `from` changed to hold `to` instead.
std::string edited(const std::string& trace, const std::string& from, const std::string& to) {
  std::string text = read_text(trace);
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("faultline audit: a run's trace keeps the kernel's laws; an edited one does not") {
  TempDir dir;
  CommandResult run = run_faultline(
      {"run", "scenarios/locks/lease-gc-pause.json", "--out", dir / "gc", "--no-diagram"});
  REQUIRE(run.exit_code == 1);  // the lesson's violation: not the auditor's business
  const std::string trace = dir / "gc/trace.jsonl";

  CommandResult ok = run_faultline({"audit", trace});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("faultline audit: " + trace +
                    ": 136 records, 4 nodes, 26 sends (26 "
                    "delivered, 0 dropped, 0 in flight at the end), 10 timers fired, 2 faults\n"
                    "laws hold: order, node-state, clock, timer, message, partition, lamport\n") !=
        std::string::npos);

  // client1 resumes 1ms early: what it then does falls within its pause.
  write(dir / "early.jsonl",
        edited(trace, R"("t":15050000000,"kind":"resume")", R"("t":15049000000,"kind":"resume")"));
  CommandResult early = run_faultline({"audit", dir / "early.jsonl"});
  CHECK(early.exit_code == 1);
  CHECK(early.out.find("AUDIT FAILED: ") != std::string::npos);
  CHECK(early.out.find("[clock] client1's monotonic clock reads 15.05s at 15.049s") !=
        std::string::npos);

  // A delivery removed: its message never ends.
  std::string text = read_text(trace);
  const size_t deliver = text.find(R"("kind":"deliver")");
  const size_t begin = text.rfind('\n', deliver) + 1;
  text.erase(begin, text.find('\n', deliver) + 1 - begin);
  write(dir / "lost.jsonl", text);
  CommandResult lost = run_faultline({"audit", dir / "lost.jsonl", "--max-findings", "1"});
  CHECK(lost.exit_code == 1);
  CHECK(lost.out.find("[order] record 10 follows record 8: records are numbered without gaps") !=
        std::string::npos);
  CHECK(lost.out.find("more (--max-findings)") != std::string::npos);
}

TEST_CASE("faultline audit: what is not a trace is one line and exit 2") {
  TempDir dir;
  struct Case {
    std::string file;
    std::string content;  // empty: not created
    std::string error;
  };
  write(dir / "summary.json", "{\n  \"ok\": true\n}\n");
  write(dir / "kind.jsonl", R"({"i":0,"t":0,"kind":"teleport"})"
                            "\n");
  for (const Case& c :
       {Case{dir / "none.jsonl", "",
             dir / "none.jsonl" +
                 ": (document): expected a trace file (JSON Lines), got no such file"},
        Case{dir.path(), "",
             dir.path() + ": (document): expected a trace file (JSON Lines), got a directory"},
        Case{dir / "summary.json", "x",
             dir / "summary.json" + ":1: expected a JSON object, got invalid JSON at byte 2 in {"},
        Case{dir / "kind.jsonl", "x", dir / "kind.jsonl" + ":1: expected \"kind\" to be one of"}}) {
    CAPTURE(c.file);
    CommandResult r = run_faultline({"audit", c.file});
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("faultline: " + c.error, 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.out.empty());
  }
  CommandResult usage = run_faultline({"audit", dir / "kind.jsonl", "--max-findings", "0"});
  CHECK(usage.exit_code == 2);
}

}  // namespace faultline::testing
