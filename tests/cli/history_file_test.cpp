// The clients' history a run leaves as history.jsonl: `faultline check` reads it back with the
// model the run names, and reaches the run's own linearizability verdict, for every model the
// protocols record (kv, counter, queue); a protocol without clients' history writes none.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/command.hpp"

namespace faultline::testing {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool checked_by(const nlohmann::json& summary, const std::string& checker) {
  for (const auto& c : summary["checkers"])
    if (c == checker) return true;
  return false;
}

bool broke(const nlohmann::json& summary, const std::string& checker) {
  for (const auto& v : summary["violations"])
    if (v["checker"] == checker) return true;
  return false;
}

}  // namespace

TEST_CASE("faultline check of a run's history.jsonl gives the run's linearizability verdict") {
  TempDir dir;
  int illegal = 0, linearizable = 0;
  for (const char* name : {"raft/stale-read", "raft/stale-read-correct", "dynamo/retried-puts",
                           "counter/retry-without-idempotency-key", "queue/auto-ack-crash",
                           "queue/failover-before-replication"}) {
    CAPTURE(name);
    const std::string out = dir / name;
    const CommandResult run =
        run_faultline({"run", std::string("scenarios/") + name + ".json", "--out", out});
    INFO(run.out << run.err);
    REQUIRE((run.exit_code == 0 || run.exit_code == 1));
    const nlohmann::json summary = read_json(out + "/summary.json");
    REQUIRE(summary.contains("history_model"));
    const std::string model = summary["history_model"];
    const std::string history = out + "/history.jsonl";
    CHECK(summary["files"]["history"] == history);
    CHECK(has(run.out, "  history  " + history + " (faultline check --model " + model + ")"));
    const CommandResult check = run_faultline({"check", "--model", model, history});
    INFO(check.out << check.err);
    if (!checked_by(summary, "linearizable")) {
      CHECK((check.exit_code == 0 || check.exit_code == 1));
      continue;
    }
    if (broke(summary, "linearizable")) {
      CHECK(check.exit_code == 1);
      CHECK(has(check.out, "illegal: " + model));
      ++illegal;
    } else {
      CHECK(check.exit_code == 0);
      ++linearizable;
    }
  }
  // Both verdicts are exercised.
  CHECK(illegal >= 2);
  CHECK(linearizable >= 1);
}

TEST_CASE("faultline check names a run's processes by their clients, in text, JSON and picture") {
  TempDir dir;
  const std::string out = dir / "run";
  const CommandResult run = run_faultline({"run", "scenarios/raft/stale-read.json", "--out", out});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 1);
  const std::string history = out + "/history.jsonl";
  const std::string page = dir / "check.html";
  const CommandResult text = run_faultline({"check", "--model", "kv", history, "--html", page});
  INFO(text.out << text.err);
  CHECK(text.exit_code == 1);
  CHECK(has(text.out, "cannot be placed next: client"));
  CHECK_FALSE(has(text.out, "process "));
  CHECK(has(read_text(page), ">client1<"));
  const CommandResult json = run_faultline({"check", "--model", "kv", "--json", history});
  CHECK(json.exit_code == 1);
  const nlohmann::json unplaceable = nlohmann::json::parse(json.out)["explanation"]["unplaceable"];
  CHECK(unplaceable["node"].get<std::string>().rfind("client", 0) == 0);
}

TEST_CASE("a run whose protocol records no clients' history writes no history.jsonl") {
  TempDir dir;
  const CommandResult run =
      run_faultline({"run", "scenarios/locks/lease-gc-pause.json", "--out", dir / "run"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(dir / "run/history.jsonl"));
  CHECK_FALSE(has(run.out, "  history  "));
  const nlohmann::json summary = read_json(dir / "run/summary.json");
  CHECK_FALSE(summary.contains("history_model"));
  CHECK_FALSE(summary["files"].contains("history"));
}

}  // namespace faultline::testing
