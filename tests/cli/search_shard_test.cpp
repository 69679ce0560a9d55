// `faultline explore --shard I/N` of an exhaustive search and `faultline merge` of the shards'
// search.json, as CI runs them: the summed counts, the shortest violation, and the one-line errors
// for shards that are not of one search.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/cli/one_line_error.hpp"
#include "tests/command.hpp"

namespace faultline::testing {
namespace {

const std::string kTwoPhase = "scenarios/specs/twophase.json";

// One shard of a search, written to DIR/search.json; returns that path.
std::string shard(const TempDir& dir, const std::string& scenario, const std::string& which,
                  std::vector<std::string> more = {}) {
  const std::string out = dir / ("shard-" + which.substr(0, which.find('/')));
  std::vector<std::string> args = {"explore", scenario, "--shard", which, "--out", out};
  args.insert(args.end(), more.begin(), more.end());
  const CommandResult r = run_faultline(args);
  INFO(r.out << r.err);
  CHECK(r.exit_code <= 1);
  return out + "/search.json";
}

}  // namespace

TEST_CASE("two shards of TwoPhase merge to an exhausted search that counts at least its states") {
  TempDir dir;
  const std::string a = shard(dir, kTwoPhase, "1/2");
  const std::string b = shard(dir, kTwoPhase, "2/2");
  CHECK(read_json(a)["shard"]["index"] == 1);
  CHECK(read_json(b)["shard"]["split_depth"] == read_json(a)["shard"]["split_depth"]);
  const CommandResult r = run_faultline({"merge", a, b, "--out", dir / "merged.json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("faultline merge: 2 shards of an exhaustive search") != std::string::npos);
  CHECK(r.out.find("exhausted (every shard checked every state it reached)") != std::string::npos);
  CHECK(r.out.find("sometimes \"an RM commits\": reached at depth 9") != std::string::npos);
  const nlohmann::json merged = read_json(dir / "merged.json");
  CHECK(merged["exhausted"] == true);
  CHECK(merged["distinct_states_sum"].get<uint64_t>() >= 288);
  CHECK(merged["generated_states"].get<uint64_t>() >= 1146);
  CHECK(merged["depth"] == 11);
  CHECK(merged["violation"].is_null());
  CHECK(merged["shards"].size() == 2);
}

TEST_CASE("merged shards of a bug report the shortest violation any shard found, exit 1") {
  TempDir dir;
  const std::string bug = "scenarios/specs/twophase-abort-after-prepare.json";
  std::vector<std::string> files;
  for (const char* which : {"1/3", "2/3", "3/3"}) files.push_back(shard(dir, bug, which));
  std::vector<std::string> args = {"merge"};
  args.insert(args.end(), files.begin(), files.end());
  args.insert(args.end(), {"--out", dir / "merged.json"});
  const CommandResult r = run_faultline(args);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("VIOLATION TCConsistent found by shard") != std::string::npos);
  const nlohmann::json merged = read_json(dir / "merged.json");
  CHECK(merged["violation"]["path"].size() == 10);  // as one search finds it
  CHECK(merged["exhausted"] == false);
}

TEST_CASE("a protocol's search shards and merges alike, and reports its sometimes properties") {
  TempDir dir;
  const std::string scenario = "scenarios/search/twopc-correct.json";
  const std::vector<std::string> bound = {"--max-depth", "6"};
  const std::string a = shard(dir, scenario, "1/2", bound);
  const std::string b = shard(dir, scenario, "2/2", bound);
  CHECK(read_json(a)["sometimes"]["a transaction commits"]["reached"].is_boolean());
  const CommandResult r = run_faultline({"merge", a, b});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("sometimes \"a transaction commits\": reached at depth 6") != std::string::npos);
  CHECK(r.out.find("sometimes \"a transaction aborts\": reached at depth 3") != std::string::npos);
  CHECK(r.out.find("NOT exhausted: cut by max-depth") != std::string::npos);
}

TEST_CASE("merge refuses shards that are not of one search, in one line, exit 2") {
  TempDir dir;
  const std::string a = shard(dir, kTwoPhase, "1/2");
  const std::string b = shard(dir, kTwoPhase, "2/2");
  TempDir other;
  const std::string deeper = shard(other, kTwoPhase, "2/2", {"--max-depth", "8"});
  const std::string wider = shard(other, kTwoPhase, "3/3");
  TempDir third;
  const std::string four = shard(third, kTwoPhase, "2/2", {"--set", "params.rms=4"});
  check_one_line_error(run_faultline({"merge", a}),
                       "shard.count: expected all 2 shards' "
                       "search.json, got no shard 2/2");
  check_one_line_error(run_faultline({"merge", a, a}), "shard.index");
  check_one_line_error(run_faultline({"merge", a, deeper}), "bounds");
  check_one_line_error(run_faultline({"merge", a, wider}), "shard.count");
  check_one_line_error(run_faultline({"merge", a, four}), "params");
  check_one_line_error(run_faultline({"merge", a, b, "--junit", dir / "j.xml"}), "--junit");
  check_one_line_error(
      run_faultline({"explore", "scenarios/search/paxos-correct-pct.json", "--shard", "1/2"}),
      "--shard with bfs or dfs");
}

}  // namespace faultline::testing
