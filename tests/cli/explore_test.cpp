// `faultline explore` as a user runs it: its verdict on `expect` agrees with `run`'s, seed by seed.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/command.hpp"

namespace faultline::testing {

TEST_CASE("explore --check-expect counts every violation of a seed, as run --check-expect does") {
  // With both lock checkers, mutual-exclusion fires first (client2 takes the lease at 10 s while
  // client1 sleeps in its pause) and the expected fenced-mutual-exclusion second (at 15 s).
  const std::vector<std::string> scenario = {
      "scenarios/locks/lease-gc-pause.json", "--set",
      R"(checkers=["mutual-exclusion", "fenced-mutual-exclusion"])"};
  TempDir out;
  std::vector<std::string> run = {"run"};
  run.insert(run.end(), scenario.begin(), scenario.end());
  run.insert(run.end(),
             {"--seed", "2", "--check-expect", "--json", "--no-diagram", "--out", out / "run"});
  const CommandResult single = run_faultline(run);
  INFO(single.out << single.err);
  const nlohmann::json summary = nlohmann::json::parse(single.out);
  REQUIRE(summary.at("violations").size() == 2);
  REQUIRE(summary["violations"][0]["checker"] == "mutual-exclusion");
  REQUIRE(summary["violations"][1]["checker"] == "fenced-mutual-exclusion");
  CHECK(single.exit_code == 0);

  std::vector<std::string> explore = {"explore"};
  explore.insert(explore.end(), scenario.begin(), scenario.end());
  explore.insert(explore.end(), {"--seeds", "1..4", "--check-expect", "--out", out / "explore"});
  const CommandResult many = run_faultline(explore);
  INFO(many.out << many.err);
  CHECK(many.exit_code == 0);
  CHECK(many.out.find("  fenced-mutual-exclusion: 4\n") != std::string::npos);
  CHECK(many.out.find("  mutual-exclusion: 4\n") != std::string::npos);
  CHECK(many.out.find("expected: fenced-mutual-exclusion on some seed (as expected)") !=
        std::string::npos);

  std::ifstream in(out / "explore/results.json");
  const nlohmann::json results = nlohmann::json::parse(in);
  CHECK(results.at("violations") ==
        nlohmann::json{{"fenced-mutual-exclusion", 4}, {"mutual-exclusion", 4}});
  CHECK(results.at("runs").at(1).at("violations") ==
        nlohmann::json::array({"mutual-exclusion", "fenced-mutual-exclusion"}));
}

TEST_CASE("explore --check-expect of an expect: ok scenario fails when any checker fires") {
  TempDir out;
  const CommandResult r =
      run_faultline({"explore", "scenarios/locks/lease-fenced-gc-pause.json", "--set",
                     R"(checkers=["fenced-mutual-exclusion", "mutual-exclusion"])", "--seeds",
                     "1..2", "--check-expect", "--out", out.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("  mutual-exclusion: 2\n") != std::string::npos);
  CHECK(r.out.find("expected: ok on every seed (NOT MET)") != std::string::npos);
}

}  // namespace faultline::testing
