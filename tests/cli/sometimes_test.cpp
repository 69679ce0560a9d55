// `sometimes` properties (sim/sometimes.hpp) as `run`, `explore` and `merge` report them: whether
// and when a run reached each, in how many seeds a sweep did, and the counts merged from shards.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli/one_line_error.hpp"
#include "tests/command.hpp"

namespace faultline::testing {
namespace {

bool has(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

}  // namespace

TEST_CASE("run prints when each sometimes property was first reached, and summary.json has it") {
  TempDir dir;
  const CommandResult r = run_faultline(
      {"run", "scenarios/saga/trip-booking-faults.json", "--seed", "1", "--out", dir / "run"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "  sometimes \"a saga completes\": reached at "));
  CHECK(has(r.out, "  sometimes \"a saga is compensated\": reached at "));
  const nlohmann::json summary = read_json(dir / "run/summary.json");
  const nlohmann::json& compensated = summary["sometimes"]["a saga is compensated"];
  CHECK(compensated["reached"] == true);
  CHECK(compensated["at_ns"].get<int64_t>() > 0);
  CHECK(compensated["event"].get<uint64_t>() > 0);
  CHECK(compensated["at"].is_string());
}

TEST_CASE("a property the run never reached is printed as NEVER reached, in the JSON as false") {
  // The coordinator crashes before it decides: neither outcome is ever reached (2PC blocks).
  TempDir dir;
  const CommandResult r = run_faultline(
      {"run", "scenarios/twopc/coordinator-crash-blocks.json", "--out", dir / "run", "--json"});
  INFO(r.out << r.err);
  const nlohmann::json summary = nlohmann::json::parse(r.out);
  CHECK(summary["sometimes"]["a transaction commits"] == nlohmann::json{{"reached", false}});
  CHECK(summary["sometimes"]["a transaction aborts"] == nlohmann::json{{"reached", false}});
  const CommandResult text = run_faultline(
      {"run", "scenarios/twopc/coordinator-crash-blocks.json", "--out", dir / "text"});
  CHECK(has(text.out, "  sometimes \"a transaction commits\": NEVER reached\n"));
}

TEST_CASE("every family with a history says whether a write was acknowledged and a read saw one") {
  TempDir dir;
  for (const char* scenario :
       {"scenarios/dynamo/strict-quorum.json", "scenarios/cache/nemesis.json",
        "scenarios/counter/kv-get-then-put.json", "scenarios/queue/nemesis.json"}) {
    CAPTURE(scenario);
    const CommandResult r = run_faultline({"run", scenario, "--out", dir / "run", "--json"});
    const nlohmann::json sometimes = nlohmann::json::parse(r.out)["sometimes"];
    REQUIRE(sometimes.size() >= 2);
    for (const auto& item : sometimes.items()) {
      const std::string name = item.key();
      CAPTURE(name);
      CHECK(item.value()["reached"] == true);
    }
  }
}

TEST_CASE("explore counts the seeds that reached each property; merge sums the shards") {
  TempDir dir;
  const std::string scenario = "scenarios/twopc/decision-not-logged.json";
  const CommandResult whole =
      run_faultline({"explore", scenario, "--seeds", "1..12", "--out", dir / "whole"});
  INFO(whole.out << whole.err);
  CHECK(has(whole.out, "  sometimes \"a transaction commits\": reached in "));
  CHECK(has(whole.out, " of 12 runs\n"));
  const nlohmann::json counts = read_json(dir / "whole/results.json")["sometimes"];
  REQUIRE(counts.contains("a transaction aborts"));
  for (const char* shard : {"1/2", "2/2"}) {
    run_faultline({"explore", scenario, "--seeds", "1..12", "--shard", shard, "--out",
                   dir / ("shard-" + std::string(1, shard[0]))});
  }
  const CommandResult merged =
      run_faultline({"merge", dir / "shard-1/results.json", dir / "shard-2/results.json", "--out",
                     dir / "merged.json"});
  INFO(merged.out << merged.err);
  CHECK(read_json(dir / "merged.json")["sometimes"] == counts);
  for (const auto& item : counts.items()) {
    const std::string line = "  sometimes \"" + item.key() + "\": reached in " +
                             std::to_string(item.value().get<uint64_t>()) + " of 12 runs\n";
    CHECK(has(merged.out, line));
  }
}

TEST_CASE("merge refuses a sometimes count larger than the file's runs") {
  TempDir dir;
  run_faultline({"explore", "scenarios/twopc/decision-not-logged.json", "--seeds", "1..3", "--out",
                 dir / "a"});
  nlohmann::json results = read_json(dir / "a/results.json");
  results["sometimes"]["a transaction commits"] = 4;
  std::ofstream(dir / "bad.json") << results.dump(2);
  const CommandResult r = run_faultline({"merge", dir / "bad.json"});
  check_one_line_error(r, "sometimes.a transaction commits");
  CHECK(has(r.err, "a count of runs from 0 to 3"));
}

}  // namespace faultline::testing
