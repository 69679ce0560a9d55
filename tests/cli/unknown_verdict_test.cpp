// Runs whose verdict a checker could not reach (a memory bound ran out) are neither passes nor
// violations: merge counts them apart, prints them, writes them, and exits 4 when nothing else
// failed, as `check` and `run` do.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/command.hpp"

namespace faultline::testing {

TEST_CASE("merge of shards with undecided runs prints them and exits 4") {
  TempDir dir;
  const std::string shard = dir / "shard.json";
  std::ofstream(shard) << R"({"scenario": "scenarios/raft/lease-read-nemesis.json",
    "runs": [{"seed": 1}, {"seed": 2, "unknown": ["linearizable"]},
             {"seed": 3, "unknown": ["linearizable"]}],
    "ok": 1, "unknown": 2, "violations": {}})";
  const CommandResult merged = run_faultline({"merge", shard, "--out", dir / "all.json"});
  INFO(merged.out << merged.err);
  CHECK(merged.exit_code == 4);
  CHECK(merged.out.find("  unknown: 2 (a checker gave up before a verdict: not a pass)") !=
        std::string::npos);
  CHECK(read_json(dir / "all.json")["unknown"] == 2);

  // A violation anywhere outranks them: exit 1.
  const std::string failing = dir / "failing.json";
  std::ofstream(failing) << R"({"scenario": "scenarios/raft/lease-read-nemesis.json",
    "runs": [{"seed": 4, "violations": ["linearizable"]}], "ok": 0, "unknown": 0,
    "violations": {"linearizable": 1}})";
  CHECK(run_faultline({"merge", shard, failing}).exit_code == 1);
}

TEST_CASE("explore writes the undecided count, zero when every run was decided") {
  TempDir dir;
  const CommandResult explored = run_faultline(
      {"explore", "scenarios/raft/stale-read-correct.json", "--seeds", "1..4", "--out", dir / "x"});
  INFO(explored.out << explored.err);
  CHECK(explored.exit_code == 0);
  CHECK(read_json(dir / "x/results.json")["unknown"] == 0);
  CHECK(explored.out.find("unknown:") == std::string::npos);
}

}  // namespace faultline::testing
