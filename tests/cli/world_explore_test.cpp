// `faultline explore --strategy bfs|dfs|pct` on a protocol scenario as a user runs it: the summary
// in search.json, the counterexample written as a run whose tape replays to the identical trace,
// `run` refusing a search scenario, and the flags that belong elsewhere refused in one line.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/cli/one_line_error.hpp"
#include "tests/command.hpp"

namespace faultline::testing {
namespace {

const std::string kBug = "scenarios/search/twopc-decision-not-logged.json";

}  // namespace

TEST_CASE("explore --strategy pct finds 2PC's coordinator-vote-only, and its tape replays") {
  TempDir out;
  const CommandResult r =
      run_faultline({"explore", kBug, "--strategy", "pct", "--set", "variant=coordinator-vote-only",
                     "--seeds", "1..50", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("strategy pct (depth 3)") != std::string::npos);
  CHECK(r.out.find("PCT bound: a bug of depth 3 among 5 actors") != std::string::npos);
  CHECK(r.out.find("VIOLATION atomic-commit in") != std::string::npos);
  const nlohmann::json summary = read_json(out / "search.json");
  CHECK(summary["strategy"] == "pct");
  CHECK(summary["failing_seed"].is_number_unsigned());
  CHECK(summary["violation"]["checker"] == "atomic-commit");
  REQUIRE(std::filesystem::exists(out / "counterexample/tape.json"));
  const CommandResult replay = run_faultline({"replay", out / "counterexample/tape.json"});
  INFO(replay.out << replay.err);
  CHECK(replay.exit_code == 1);
  CHECK(replay.out.find("replay: identical trace") != std::string::npos);
  CHECK(replay.out.find("VIOLATION atomic-commit") != std::string::npos);
}

TEST_CASE("explore --strategy pct passes correct 2PC and says what the runs guarantee") {
  TempDir out;
  const CommandResult r =
      run_faultline({"explore", kBug, "--strategy", "pct", "--set", "variant=correct", "--seeds",
                     "1..300", "--json", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  const nlohmann::json summary = nlohmann::json::parse(r.out);
  CHECK(summary["runs"] == 300);
  CHECK(summary["violation"].is_null());
  CHECK(summary["run_bound"].get<double>() > 0);
  CHECK(summary["left_out"].empty());
  CHECK(read_json(out / "search.json")["runs"] == 300);
}

TEST_CASE("explore --strategy dfs --json on a protocol writes the search's summary") {
  TempDir out;
  const CommandResult r =
      run_faultline({"explore", kBug, "--strategy", "dfs", "--set", "variant=correct", "--set",
                     "search.max_depth=6", "--json", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  const nlohmann::json summary = nlohmann::json::parse(r.out);
  CHECK(summary["strategy"] == "dfs");
  CHECK(summary["variant"] == "correct");
  CHECK(summary["exhausted"] == false);
  CHECK(summary["cut_by"] == "max-depth");
  CHECK(summary["bounds"]["crashes"] == 1);
  CHECK(summary["distinct_states"].get<uint64_t>() > 100);
  CHECK(summary["coverage"].contains("crash"));
  CHECK(read_json(out / "search.json") == summary);
}

TEST_CASE("search scenarios refuse what they cannot do, in one line, exit 2") {
  TempDir out;
  check_one_line_error(run_faultline({"run", kBug, "--out", out.path()}),
                       "twopc-decision-not-logged.json: search: expected a scenario that runs in "
                       "time");
  check_one_line_error(run_faultline({"explore", kBug, "--strategy", "bogus", "--out", out.path()}),
                       "random, pct, bfs or dfs");
  check_one_line_error(run_faultline({"explore", kBug, "--seeds", "1..5", "--out", out.path()}),
                       "--seeds goes with --strategy pct");
  check_one_line_error(run_faultline({"explore", kBug, "--depth", "2", "--out", out.path()}),
                       "--depth");
  check_one_line_error(
      run_faultline({"explore", kBug, "--set", "search.crashes=-1", "--out", out.path()}),
      "search.crashes");
  check_one_line_error(
      run_faultline({"explore", kBug, "--set", "search.targets=[\"nobody\"]", "--out", out.path()}),
      "search.targets[0]");
  CHECK_FALSE(std::filesystem::exists(out / "search.json"));
}

}  // namespace faultline::testing
