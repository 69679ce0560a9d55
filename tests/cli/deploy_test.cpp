// deploy/: the CI-matrix workflow and the Kubernetes Indexed Job run the shard and merge commands
// written in them. This test takes those lines from the files as they are, runs every shard
// locally, merges, and checks that the merged result is the one unsharded run gives: the same
// seeds with the same violations, the same counts, the same exit code.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/command.hpp"

namespace faultline::testing {
namespace {

// The command on the line after `# <marker>`, without the YAML around it ("- run: ", "- ").
std::string command_after(const std::string& file, const std::string& marker) {
  std::ifstream in(source_dir() + "/" + file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("# " + marker) == std::string::npos) continue;
    std::getline(in, line);
    static const std::regex yaml_item(R"(^\s*-\s*(run:\s*)?)");
    return std::regex_replace(line, yaml_item, "");
  }
  FAIL(file << " has no line marked " << marker);
  return "";
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// What a run of seeds found, without the parts that say how it was split.
nlohmann::json verdicts(const nlohmann::json& results) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : results["runs"]) {
    runs.push_back(
        {{"seed", run["seed"]}, {"violations", run.value("violations", nlohmann::json())}});
  }
  return {{"ok", results["ok"]}, {"violations", results["violations"]}, {"runs", runs}};
}

const int kShards = 4;
const char* kSeeds = "1..40";

// `shard_command(command, i)` makes the command shard i (from 1) runs, as the engine would.
void check_sharding_matches_one_run(
    const std::string& manifest,
    const std::function<std::string(const std::string&, int)>& shard_command) {
  TempDir dir;
  const std::string environment = "export SCENARIO='" + source_dir() +
                                  "/scenarios/locks/lease-unfenced-nemesis.json' SEEDS='" + kSeeds +
                                  "' SHARDS=" + std::to_string(kShards) + "; ";
  auto local = [&](std::string command) {
    command = replace_all(command, "build/cli/faultline", "faultline");
    return replace_all(command, "/results/", dir.path() + "/");
  };
  const std::string shard = local(command_after(manifest, "faultline-shard-command"));
  const std::string merge = local(command_after(manifest, "faultline-merge-command"));
  INFO(manifest << "\n  shard: " << shard << "\n  merge: " << merge);
  for (int i = 1; i <= kShards; ++i) {
    CommandResult r = run_shell(environment + shard_command(shard, i), dir.path());
    REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  }
  CommandResult merged = run_shell(environment + merge, dir.path());
  CommandResult whole =
      run_shell(environment + "faultline explore \"$SCENARIO\" --seeds " + "\"$SEEDS\" --out whole",
                dir.path());
  CHECK(merged.exit_code == whole.exit_code);
  CHECK(whole.exit_code == 1);  // the unfenced lock breaks on some of these seeds
  CHECK(verdicts(read_json(dir / "merged.json")) ==
        verdicts(read_json(dir / "whole/results.json")));
  // A merge that writes JUnit XML for the CI server writes it beside the merged results.
  if (merge.find("--junit junit.xml") != std::string::npos) {
    CHECK(read_text(dir / "junit.xml").find("<testsuites name=\"faultline\"") != std::string::npos);
  }
}

}  // namespace

TEST_CASE("deploy/github-actions.yml: the matrix's shards merged give the unsharded verdicts") {
  // Actions substitutes the matrix value into the command before the shell sees it.
  check_sharding_matches_one_run("deploy/github-actions.yml", [](const std::string& c, int i) {
    return replace_all(c, "${{ matrix.shard }}", std::to_string(i));
  });
}

TEST_CASE(
    "deploy/kubernetes-job.yml: the indexed job's shards merged give the unsharded verdicts") {
  // Kubernetes sets JOB_COMPLETION_INDEX (from 0) in each pod's environment.
  check_sharding_matches_one_run("deploy/kubernetes-job.yml", [](const std::string& c, int i) {
    return "export JOB_COMPLETION_INDEX=" + std::to_string(i - 1) + "; " + c;
  });
}

}  // namespace faultline::testing
