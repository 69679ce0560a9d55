// `faultline merge` streams (run/results_file.hpp): its document is byte for byte the one the
// whole-in-memory merge wrote (kept here as the reference), whatever the shards hold and however
// many there are; and it refuses what it refused, plus runs out of seed order and oversized parts.
#include <sys/stat.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocols/params.hpp"
#include "run/results_file.hpp"
#include "run/results_reader.hpp"
#include "sim/random.hpp"
#include "tests/command.hpp"

namespace faultline::run {
namespace {

using faultline::testing::TempDir;

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// What merge wrote before it streamed: every file parsed whole, the runs stable-sorted by seed,
// one document dumped with an indent of 2, the shards' --set overrides kept (none: an empty
// array). The inputs are valid, so none of its checks matter.
std::string reference_merge(const std::vector<std::string>& files) {
  std::string scenario;
  nlohmann::json set = nlohmann::json::array();
  uint64_t ok = 0, unknown = 0;
  std::map<std::string, uint64_t> violations;
  std::vector<std::pair<uint64_t, nlohmann::json>> runs;
  nlohmann::json shards = nlohmann::json::array();
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    nlohmann::json document = nlohmann::json::parse(in);
    scenario = document["scenario"].get<std::string>();
    set = document.value("set", nlohmann::json::array());
    for (const nlohmann::json& run : document["runs"]) {
      runs.emplace_back(run["seed"].get<uint64_t>(), run);
    }
    ok += document["ok"].get<uint64_t>();
    unknown += document.value("unknown", uint64_t{0});  // absent in files from before it
    for (const auto& [checker, count] : document["violations"].items()) {
      violations[checker] += count.get<uint64_t>();
    }
    shards.push_back(document.value("shard", nlohmann::json()));
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  nlohmann::json all = nlohmann::json::array();
  for (auto& run : runs) all.push_back(std::move(run.second));
  nlohmann::json document = {{"scenario", scenario},
                             {"set", set},
                             {"ok", ok},
                             {"unknown", unknown},
                             {"violations", violations},
                             {"runs", std::move(all)},
                             {"shards", shards}};
  return document.dump(2) + "\n";
}

std::string streamed_merge(const std::vector<std::string>& files) {
  MergedResults merged(files);
  std::ostringstream out;
  merged.write(out);
  return out.str();
}

// `count` shards of the seeds first..last, as explore --shard I/N would write them (runs with
// violations, errors that quote odd text, extra fields), in explore's own layout or compact.
std::vector<std::string> shards(const TempDir& dir, uint64_t first, uint64_t last, uint64_t count,
                                uint64_t seed, bool compact = false) {
  sim::Rng rng(seed);
  std::vector<std::string> files;
  for (uint64_t s = 0; s < count; ++s) {
    nlohmann::json runs = nlohmann::json::array();
    uint64_t ok = 0, unknown = 0;
    std::map<std::string, uint64_t> violations;
    for (uint64_t x = first + s; x <= last; x += count) {
      nlohmann::json run = {{"seed", x}, {"events", rng.below(100000)}};
      switch (rng.below(7)) {
        case 0:
          if (x % 2) {
            run["violations"] = {"mutual_exclusion", "linearizable"};
            ++violations["linearizable"];  // a seed counts for every checker that fired on it
          } else {
            run["violations"] = {"mutual_exclusion"};
          }
          ++violations["mutual_exclusion"];
          break;
        case 1:
          run["error"] = "bad \"thing\"\n\tat caf\xc3\xa9 \xe2\x9c\x93 \\ / \x01";
          ++violations["error"];
          break;
        case 3:
          run["unknown"] = {"linearizable"};  // no violation, and no verdict either
          ++unknown;
          break;
        case 2:
          run["extra"] = {{"nested", {1.5, -0.0, nullptr, true, {{"z", {}}, {"a", "x"}}}},
                          {"big", 18446744073709551615ull}};
          ++ok;
          break;
        default:
          ++ok;
      }
      runs.push_back(run);
    }
    nlohmann::json document = {{"scenario", "scenarios/x.json"},
                               {"seeds", {{"first", first}, {"last", last}}},
                               {"runs", runs},
                               {"ok", ok},
                               {"violations", violations}};
    if (seed % 3 != 0) document["unknown"] = unknown;  // files from before it have none
    if (seed % 3 == 0) document["ok"] = ok + unknown;  // ... and counted those runs ok
    if (s % 3 != 2) document["shard"] = {{"index", s + 1}, {"count", count}};
    if (seed % 2) document["set"] = {"nodes=5", "clients=3"};  // every shard ran the same overrides
    files.push_back(dir / ("shard" + std::to_string(s) + ".json"));
    write(files.back(), compact ? document.dump() : document.dump(2));
  }
  return files;
}

std::string merge_error(const std::vector<std::string>& files) {
  try {
    MergedResults merged(files);
  } catch (const protocols::ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the streamed merge writes, byte for byte, what the in-memory merge wrote") {
  TempDir dir;
  struct Case {
    uint64_t first, last, shards;
    bool compact;
  };
  // One shard; a few; more than merges at once (rounds); shards with no runs at all.
  for (const Case& c : {Case{1, 50, 1, false}, Case{1, 500, 8, true}, Case{10, 1000, 70, false},
                        Case{1, 3, 5, false}}) {
    CAPTURE(c.shards);
    TempDir sub;
    std::vector<std::string> files = shards(sub, c.first, c.last, c.shards, c.shards, c.compact);
    const std::string expected = reference_merge(files);
    CHECK(streamed_merge(files) == expected);
    // The order of the files on the command line changes only the shards' order.
    std::vector<std::string> reversed(files.rbegin(), files.rend());
    CHECK(streamed_merge(reversed) == reference_merge(reversed));
  }
  // A merged file merges again, with other shards.
  std::vector<std::string> files = shards(dir, 1, 200, 4, 9);
  MergedResults first({files[0], files[1]});
  first.write(dir / "half.json");
  std::vector<std::string> again = {dir / "half.json", files[2], files[3]};
  CHECK(streamed_merge(again) == reference_merge(again));
}

TEST_CASE("merged runs are visited in seed order, one at a time, with the counts") {
  TempDir dir;
  std::vector<std::string> files = shards(dir, 5, 404, 7, 3);
  MergedResults merged(files);
  CHECK(merged.runs() == 400);
  CHECK(merged.files() == 7);
  CHECK(merged.scenario() == "scenarios/x.json");
  uint64_t expected = 5;
  uint64_t failing = 0;
  merged.for_each_run([&](uint64_t seed, const nlohmann::json& run) {
    CHECK(seed == expected);
    CHECK(run["seed"].get<uint64_t>() == seed);
    ++expected;
    if (run.contains("violations") || run.contains("error")) ++failing;
  });
  CHECK(expected == 405);
  CHECK(failing == 400 - merged.counts().ok);
}

TEST_CASE("merge counts the runs no checker decided, apart from ok and the violations") {
  TempDir dir;
  std::vector<std::string> files = shards(dir, 1, 300, 3, 4);  // files that count them
  MergedResults merged(files);
  uint64_t unknown = 0, failing = 0;
  merged.for_each_run([&](uint64_t, const nlohmann::json& run) {
    unknown += run.contains("unknown") ? 1 : 0;
    failing += run.contains("violations") || run.contains("error") ? 1 : 0;
  });
  CHECK(unknown > 0);
  CHECK(merged.counts().unknown == unknown);
  CHECK(merged.counts().ok + unknown + failing == 300);
  // A file whose counts leave runs unaccounted is refused, naming the counts.
  write(dir / "bad.json", R"({"scenario": "s.json", "runs": [{"seed": 1, "unknown": ["x"]},
    {"seed": 2}], "ok": 1, "unknown": 0, "violations": {}})");
  CHECK(merge_error({dir / "bad.json"}).find("with unknown and the violations") !=
        std::string::npos);
}

TEST_CASE("merge refuses duplicates across shards, runs out of seed order, oversized parts") {
  TempDir dir;
  auto results = [](const std::string& runs, uint64_t n) {
    return R"({"scenario": "s.json", "runs": [)" + runs + R"(], "ok": )" + std::to_string(n) +
           R"(, "violations": {}})";
  };
  // A seed in two of seventy shards: found in the rounds of merging, named in the later file.
  std::vector<std::string> files = shards(dir, 1, 700, 70, 2);
  write(dir / "dup.json", R"({"scenario": "scenarios/x.json", "runs": [{"seed": 3}, {"seed": 650}],
                              "ok": 2, "violations": {}})");
  files.insert(files.begin() + 40, dir / "dup.json");
  CHECK(merge_error(files) == dir / "dup.json" +
                                  ": runs[0].seed: expected a seed no other results file has "
                                  "(each shard merged once), got 3");

  write(dir / "order.json", results(R"({"seed": 1}, {"seed": 5}, {"seed": 4})", 3));
  CHECK(merge_error({dir / "order.json"}) ==
        dir / "order.json" +
            ": runs[2].seed: expected a seed above the previous run's (5): explore writes its "
            "runs in seed order, got 4");
  write(dir / "twice.json", results(R"({"seed": 1}, {"seed": 1})", 2));
  CHECK(merge_error({dir / "twice.json"}).find("runs[1].seed: expected a seed above") !=
        std::string::npos);

  // A syntax error anywhere comes before a wrong run, as when the file was parsed whole.
  write(dir / "late.json", R"({"scenario": "s.json", "runs": [{"events": 1}], "ok": 1,)");
  CHECK(merge_error({dir / "late.json"}).find("(document): expected valid JSON") !=
        std::string::npos);
  write(dir / "nodoc.json", "");
  CHECK(merge_error({dir / "nodoc.json"}).find("(document): expected valid JSON") !=
        std::string::npos);

  const std::string big(kMaxResultsRunBytes, 'x');
  write(dir / "bigrun.json", results(R"({"seed": 1}, {"seed": 2, "error": ")" + big + R"("})", 2));
  CHECK(merge_error({dir / "bigrun.json"}) ==
        dir / "bigrun.json" + ": runs[1]: expected a run of at most 1 MiB of JSON, got more");
  write(dir / "bighead.json",
        R"({"scenario": "s.json", "runs": [], "ok": 0, "violations": {}, "note": ")" +
            std::string(kMaxResultsHeadBytes, 'x') + R"("})");
  CHECK(merge_error({dir / "bighead.json"}) ==
        dir / "bighead.json" +
            ": (document): expected a results.json written by faultline explore, of at most 16 "
            "MiB besides its runs, got more");
  // A run just under the bound is a run.
  write(dir / "fits.json",
        results(R"({"seed": 1, "error": ")" + std::string(kMaxResultsRunBytes - 100, 'x') + R"("})",
                0));
  CHECK(merge_error({dir / "fits.json"}).find("one count per run") != std::string::npos);

  // A checker counts at most the seeds that are not ok; together they count each at least once.
  write(dir / "two.json", R"({"scenario": "s.json", "runs": [{"seed": 1}, {"seed": 2}], "ok": 1,
                              "violations": {"a": 1, "b": 1}})");
  CHECK(merge_error({dir / "two.json"}).empty());
  write(dir / "over.json", R"({"scenario": "s.json", "runs": [{"seed": 1}, {"seed": 2}], "ok": 1,
                               "violations": {"a": 1, "b": 2}})");
  CHECK(merge_error({dir / "over.json"}) ==
        dir / "over.json" + ": violations.b: expected a count of runs from 0 to 1, got 2");
  write(dir / "under.json", R"({"scenario": "s.json", "runs": [{"seed": 1}, {"seed": 2}], "ok": 0,
                                "violations": {"a": 1}})");
  CHECK(merge_error({dir / "under.json"}) ==
        dir / "under.json" +
            ": ok: expected with unknown and the violations, one count per run at least (2 "
            "runs; a seed on which two checkers fired counts for both), got 0");

  // Not a file, a directory, a different scenario.
  CHECK(merge_error({dir / "absent.json"}) ==
        dir / "absent.json" +
            ": (document): expected a results.json written by faultline explore, got no such "
            "file");
  CHECK(merge_error({dir.path()}).find("got a directory") != std::string::npos);
  write(dir / "other.json",
        R"({"scenario": "t.json", "runs": [{"seed": 9}], "ok": 1, "violations": {}})");
  CHECK(merge_error({dir / "twice.json", dir / "other.json"}).find("runs[1].seed") !=
        std::string::npos);
  write(dir / "one.json", results(R"({"seed": 1})", 1));
  CHECK(merge_error({dir / "one.json", dir / "other.json"}) ==
        dir / "other.json" +
            ": scenario: expected the same scenario as the other shards (\"s.json\"), got "
            "\"t.json\"");
}

TEST_CASE("merge reads a results file through a FIFO, which it cannot hold whole") {
  TempDir dir;
  std::vector<std::string> files = shards(dir, 1, 100, 1, 2);
  const std::string expected = reference_merge(files);
  const std::string fifo = dir / "fifo.json";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] {  // blocks in open until merge opens the FIFO to read
    std::ofstream(fifo, std::ios::binary) << std::ifstream(files[0], std::ios::binary).rdbuf();
  });
  std::string merged;
  try {
    merged = streamed_merge({fifo});
  } catch (...) {
    writer.join();
    throw;
  }
  writer.join();
  // The FIFO's name is no shard's: only the runs and counts are compared.
  CHECK(nlohmann::json::parse(merged)["runs"] == nlohmann::json::parse(expected)["runs"]);
}

}  // namespace faultline::run
