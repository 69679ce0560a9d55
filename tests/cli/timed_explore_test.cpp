// `faultline explore` of a timed search scenario as a user runs it: the unfenced lease lock's
// stale write found with one pause, written as a run whose tape `replay` re-runs to the identical
// trace; the fenced lock exhausted; and the strategy a timed search does not have refused.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/cli/one_line_error.hpp"
#include "tests/command.hpp"

namespace faultline::testing {

TEST_CASE("explore finds the unfenced lease lock's stale write in timed mode, and it replays") {
  TempDir out;
  const CommandResult r =
      run_faultline({"explore", "scenarios/search/lease-unfenced-timed.json", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("strategy bfs, timed; budget: 1 pause") != std::string::npos);
  CHECK(r.out.find("VIOLATION fenced-mutual-exclusion in") != std::string::npos);
  const nlohmann::json summary = read_json(out / "search.json");
  CHECK(summary["time"] == "timed");
  CHECK(summary["exhausted"] == false);
  CHECK(summary["cut_by"] == "violation");
  CHECK(summary["bounds"]["latencies_ms"] == nlohmann::json::parse("[1]"));
  CHECK(summary["bounds"]["pauses"] == 1);
  CHECK(summary["violation"]["checker"] == "fenced-mutual-exclusion");
  const uint64_t steps = summary["violation"]["steps"].get<uint64_t>();
  CHECK(summary["violation"]["story"].size() == steps);

  REQUIRE(std::filesystem::exists(out / "counterexample/tape.json"));
  const nlohmann::json tape = read_json(out / "counterexample/tape.json");
  CHECK(tape["timed_steps"] == steps);
  CHECK_FALSE(tape.contains("untimed_steps"));
  const CommandResult replay = run_faultline({"replay", out / "counterexample/tape.json"});
  INFO(replay.out << replay.err);
  CHECK(replay.exit_code == 1);
  CHECK(replay.out.find("replay: identical trace") != std::string::npos);
  CHECK(replay.out.find("VIOLATION fenced-mutual-exclusion") != std::string::npos);
}

TEST_CASE("explore exhausts the fenced lease lock in timed mode") {
  TempDir out;
  const CommandResult r = run_faultline(
      {"explore", "scenarios/search/lease-fenced-timed.json", "--json", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  const nlohmann::json summary = nlohmann::json::parse(r.out);
  CHECK(summary["time"] == "timed");
  CHECK(summary["exhausted"] == true);
  CHECK(summary["cut_by"].is_null());
  CHECK(summary["violation"].is_null());
  CHECK(summary["distinct_states"].get<uint64_t>() > 0);
  CHECK_FALSE(std::filesystem::exists(out / "counterexample"));
}

TEST_CASE("a timed search refuses PCT and loss, in one line, exit 2") {
  TempDir out;
  check_one_line_error(run_faultline({"explore", "scenarios/search/lease-fenced-timed.json",
                                      "--strategy", "pct", "--out", out.path()}),
                       "lease-fenced-timed.json: search.strategy: expected bfs or dfs in a timed "
                       "search");
  check_one_line_error(
      run_faultline({"explore", "scenarios/search/lease-fenced-timed.json", "--set",
                     "network.loss=0.1", "--out", out.path()}),
      "lease-fenced-timed.json: network: expected no loss or duplication in a timed search");
}

}  // namespace faultline::testing
