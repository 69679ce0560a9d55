// `faultline explore` on a spec-level model as a user runs it: the JSON summary and search.json,
// the counterexample, the bounds, and the flags that belong to protocol scenarios refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/cli/one_line_error.hpp"
#include "tests/command.hpp"

namespace faultline::testing {

TEST_CASE("explore --json on a spec prints the summary and writes the same to search.json") {
  TempDir out;
  const CommandResult r =
      run_faultline({"explore", "scenarios/specs/twophase.json", "--strategy", "dfs", "--set",
                     "params.rms=4", "--json", "--out", out.path()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json summary = nlohmann::json::parse(r.out);
  CHECK(summary["strategy"] == "dfs");
  CHECK(summary["distinct_states"] == 1568);
  CHECK(summary["exhausted"] == true);
  CHECK(summary["params"]["rms"] == 4);
  const nlohmann::json file = nlohmann::json::parse(read_text(out / "search.json"));
  CHECK(file["distinct_states"] == 1568);
  CHECK(file["generated_states"] == summary["generated_states"]);
  CHECK_FALSE(std::filesystem::exists(out / "search.json.tmp"));
}

TEST_CASE("a spec's counterexample is in search.json, from the initial state to the broken one") {
  TempDir out;
  const CommandResult r = run_faultline(
      {"explore", "scenarios/specs/twophase-abort-after-prepare.json", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  const nlohmann::json file = nlohmann::json::parse(read_text(out / "search.json"));
  REQUIRE(file.contains("violation"));
  CHECK(file["violation"]["invariant"] == "TCConsistent");
  const nlohmann::json& path = file["violation"]["path"];
  REQUIRE(path.size() == 10);
  CHECK(path[0]["action"] == "Init");
  CHECK(path[0]["state"]["tmState"] == "init");
  CHECK(path[9]["state"]["tmState"] == "committed");
  CHECK(file["cut_by"] == "violation");
  CHECK(file["exhausted"] == false);

  const CommandResult expected =
      run_faultline({"explore", "scenarios/specs/twophase-abort-after-prepare.json",
                     "--check-expect", "--out", out.path()});
  CHECK(expected.exit_code == 0);
}

TEST_CASE("a state bound cuts a spec's search, and the output says so") {
  TempDir out;
  const CommandResult r = run_faultline({"explore", "scenarios/specs/twophase.json", "--max-states",
                                         "50", "--json", "--out", out.path()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json summary = nlohmann::json::parse(r.out);
  CHECK(summary["exhausted"] == false);
  CHECK(summary["cut_by"] == "max-states");
  CHECK(summary["distinct_states"] == 50);
}

TEST_CASE("the memory bound ends a spec's search as unknown, exit 4, never as a pass") {
  TempDir out;
  const CommandResult r =
      run_faultline({"explore", "scenarios/specs/twophase.json", "--set", "params.rms=7",
                     "--max-memory", "4MiB", "--json", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4);
  const nlohmann::json summary = nlohmann::json::parse(r.out);
  CHECK(summary["cut_by"] == "max-memory");
  CHECK(summary["exhausted"] == false);
  CHECK(summary["store_bytes"].get<uint64_t>() <= 4u << 20);
  check_one_line_error(run_faultline({"explore", "scenarios/specs/twophase.json", "--max-memory",
                                      "lots", "--out", out.path()}),
                       "--max-memory");
}

TEST_CASE("spec scenarios refuse what they cannot do, in one line, exit 2") {
  TempDir out;
  check_one_line_error(run_faultline({"explore", "scenarios/specs/twophase.json", "--strategy",
                                      "pct", "--out", out.path()}),
                       "bfs or dfs");
  check_one_line_error(run_faultline({"explore", "scenarios/specs/twophase.json", "--seeds", "1..5",
                                      "--out", out.path()}),
                       "--seeds");
  check_one_line_error(run_faultline({"run", "scenarios/specs/twophase.json", "--out", out.path()}),
                       "twophase.json: spec: expected a protocol scenario");
  check_one_line_error(run_faultline({"explore", "scenarios/specs/twophase.json", "--set",
                                      "params.rms=0", "--out", out.path()}),
                       "params.rms: expected an integer from 1 to 15");
  check_one_line_error(run_faultline({"explore", "scenarios/specs/twophase.json", "--set",
                                      "params.nodes=3", "--out", out.path()}),
                       "params");
  check_one_line_error(run_faultline({"explore", "scenarios/specs/twophase.json", "--set",
                                      "search.strategy=pct", "--out", out.path()}),
                       "search.strategy");
  check_one_line_error(
      run_faultline({"explore", "scenarios/specs/twophase-abort-after-prepare.json", "--set",
                     "expect.violation=Nope", "--out", out.path()}),
      "expect.violation: expected an invariant of twophase");
  // A protocol scenario's search injects its own faults; its bounds need a search strategy.
  check_one_line_error(run_faultline({"explore", "scenarios/twopc/commit-all-yes.json",
                                      "--strategy", "bfs", "--out", out.path()}),
                       "commit-all-yes.json: nemesis: expected none in a searched scenario");
  check_one_line_error(run_faultline({"explore", "scenarios/twopc/commit-all-yes.json",
                                      "--max-depth", "3", "--out", out.path()}),
                       "only with --strategy pct, bfs or dfs");
  CHECK_FALSE(std::filesystem::exists(out / "search.json"));
}

}  // namespace faultline::testing
