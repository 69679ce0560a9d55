// `faultline replay DIR/tape.json`, run as a user runs it: after `faultline run`, on the tape that
// run wrote.
#include <doctest/doctest.h>

#include <algorithm>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/command.hpp"

namespace faultline::testing {
namespace {

void write_json(const std::string& path, const nlohmann::json& document) {
  std::ofstream(path) << document.dump() << "\n";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("replay re-runs a run's tape and finds the identical trace") {
  TempDir out;
  const CommandResult run = run_faultline(
      {"run", "scenarios/locks/lease-unfenced-nemesis.json", "--seed", "8", "--out", out / "run"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 1);  // seed 8 of the unfenced lock writes with a stale token
  const std::string hash = read_json(out / "run/tape.json").at("trace_hash").get<std::string>();
  REQUIRE(hash.size() == 16);

  const CommandResult replay = run_faultline({"replay", out / "run/tape.json"});
  INFO(replay.out << replay.err);
  CHECK(replay.exit_code == 1);  // the violation again, and nothing else wrong
  CHECK(contains(replay.out, "replay: identical trace (hash " + hash + ")"));
  CHECK(contains(replay.out, "VIOLATION fenced-mutual-exclusion"));
  // Beside the tape, not over the original run's files.
  CHECK(read_json(out / "run/replay/summary.json").at("trace_hash") == hash);
}

TEST_CASE("replay of an ok run with --check-expect exits 0") {
  TempDir out;
  const CommandResult run = run_faultline(
      {"run", "scenarios/locks/lease-fenced-gc-pause.json", "--out", out / "run", "--no-diagram"});
  REQUIRE(run.exit_code == 0);
  const CommandResult replay =
      run_faultline({"replay", out / "run/tape.json", "--check-expect", "--no-diagram"});
  INFO(replay.out << replay.err);
  CHECK(replay.exit_code == 0);
  CHECK(contains(replay.out, "replay: identical trace (hash "));
}

TEST_CASE("replay of a tape whose trace differs says so and exits 3") {
  TempDir out;
  REQUIRE(run_faultline(
              {"run", "scenarios/locks/lease-gc-pause.json", "--out", out / "run", "--no-diagram"})
              .exit_code == 1);
  nlohmann::json tape = read_json(out / "run/tape.json");
  const std::string recorded = tape.at("trace_hash").get<std::string>();

  SUBCASE("a hash that is not the trace's") {
    tape["trace_hash"] = "0123456789abcdef";
    write_json(out / "tampered.json", tape);
    const CommandResult replay = run_faultline({"replay", out / "tampered.json"});
    INFO(replay.out << replay.err);
    CHECK(replay.exit_code == 3);
    CHECK(contains(replay.out,
                   "replay: DIFFERENT trace: recorded 0123456789abcdef, replayed " + recorded));
  }
  SUBCASE("other choices than the run made") {
    for (auto& choice : tape.at("choices")) choice = choice.get<uint64_t>() / 2 + 1;
    write_json(out / "tampered.json", tape);
    const CommandResult replay = run_faultline({"replay", out / "tampered.json"});
    INFO(replay.out << replay.err);
    CHECK(replay.exit_code == 3);
    CHECK(contains(replay.out, "replay: DIFFERENT trace: recorded " + recorded + ", replayed "));
  }
}

TEST_CASE("replay of a file that is no tape is bad input: one line, exit 2") {
  TempDir dir;
  std::ofstream(dir / "tape.json") << R"({"seed": 1, "choices": []})";
  const CommandResult missing_scenario = run_faultline({"replay", dir / "tape.json"});
  CHECK(missing_scenario.exit_code == 2);
  CHECK(missing_scenario.err ==
        "faultline: " + (dir / "tape.json") +
            ": scenario: expected a string (this field is required), got nothing\n");

  std::ofstream(dir / "broken.json") << "{ not json";
  const CommandResult broken = run_faultline({"replay", dir / "broken.json"});
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.rfind("faultline: " + (dir / "broken.json") +
                             ": (document): expected valid JSON (UTF-8), got a syntax error at "
                             "line 1",
                         0) == 0);
  CHECK(std::count(broken.err.begin(), broken.err.end(), '\n') == 1);

  const CommandResult absent = run_faultline({"replay", dir / "absent.json"});
  CHECK(absent.exit_code == 2);
}

}  // namespace faultline::testing
