// Bad input, as a hostile user would give it, to the built binary: every case exits 2 with
// exactly one line on standard error naming the file and the field, never a signal or an internal
// error, and leaves no file in --out. The ASan+UBSan build runs the same table.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <doctest/doctest.h>

#include "tests/command.hpp"

namespace faultline::testing {
namespace {

namespace fs = std::filesystem;

// A valid scenario the cases break one way or another.
const std::string kScenario =
    R"({"protocol": "lease-lock", "variant": "unfenced", "params": {"clients": 3},
        "duration": "2s", "faults": [{"at": "70ms", "kind": "crash", "node": "client2",
                                      "restart_after": "1s"}]})";

// The same without params and faults, for cases that add one of them.
const std::string kBareScenario = R"({
  "protocol": "lease-lock",
  "variant": "unfenced",
  "duration": "1s"
})";

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The bare scenario with `field` (a top-level key) set to `value`, as JSON text.
std::string scenario_with(const std::string& field, const std::string& value) {
  return kBareScenario.substr(0, kBareScenario.size() - 2) + ",\n  \"" + field + "\": " + value +
         "\n}";
}

std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

struct BadInput {
  std::string name;
  // Given the case's directory (with scenario.json written in it), the arguments to run.
  std::function<std::vector<std::string>(const TempDir&)> args;
  std::vector<std::string> stderr_mentions;  // the file and the field
};

// The regular files under `dir` (none must be left by a failed command).
std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_directory()) out.push_back(it->path().string());
  }
  return out;
}

const std::string kResults = R"({"scenario": "s.json", "seeds": {"first": 1, "last": 2},
  "shard": {"index": 1, "count": 1}, "runs": [{"seed": 1, "events": 5}, {"seed": 2, "events": 6}],
  "ok": 2, "violations": {}})";

std::vector<BadInput> bad_inputs() {
  auto run_with = [](std::string field, std::string value) {
    return [field, value](const TempDir& d) {
      write(d / "s.json", scenario_with(field, value));
      return std::vector<std::string>{"run", d / "s.json", "--out", d / "out"};
    };
  };
  auto run_set = [](std::string setting) {
    return [setting](const TempDir& d) {
      return std::vector<std::string>{"run",    d / "scenario.json", "--set", setting, "--out",
                                      d / "out"};
    };
  };
  auto merge_of = [](std::string results) {
    return [results](const TempDir& d) {
      write(d / "results.json", results);
      return std::vector<std::string>{"merge", d / "results.json", "--out", d / "out/m.json"};
    };
  };
  auto explore_with = [](std::string flag, std::string value) {
    return [flag, value](const TempDir& d) {
      return std::vector<std::string>{"explore", d / "scenario.json", flag, value, "--out",
                                      d / "out"};
    };
  };
  return {
      // Crashes.
      {"a fault on the empty node name",
       run_with("faults", R"([{"at": "10ms", "kind": "crash",
                                                  "node": ""}])"),
       {"s.json", "faults[0].node", "a node name"}},
      {"a link from a node that does not exist",
       run_with("network", R"({"links": [{"from": ["lock"], "to": ["nobody"], "loss": 0.5}]})"),
       {"s.json", "network.links[0].to[0]", "a node of this scenario"}},
      {"a link with an empty group",
       run_with("network", R"({"links": [{"from": [], "to": ["lock"], "loss": 0.5}]})"),
       {"s.json", "network.links[0].from", "a non-empty array of node names"}},
      {"a link with a negative latency",
       run_with("network", R"({"links": [{"from": ["lock"], "to": ["client1"],
                                          "latency": {"shape": "constant", "min": "-5ms"}}]})"),
       {"s.json", "network.links[0].latency.min", "a duration"}},
      {"a link whose loss is not a probability",
       run_with("network", R"({"links": [{"from": ["lock"], "to": ["client1"], "loss": 2}]})"),
       {"s.json", "network.links[0].loss", "a number from 0.0 to 1.0"}},
      {"a link latency with min above max",
       run_with("network", R"({"links": [{"from": ["lock"], "to": ["client1"],
                               "latency": {"min": "20ms", "max": "10ms"}}]})"),
       {"s.json", "network.links[0].latency.max", "no shorter than min"}},
      {"a link that changes nothing",
       run_with("network", R"({"links": [{"from": ["lock"], "to": ["client1"]}]})"),
       {"s.json", "network.links[0].latency", "at least one of latency, loss, duplicate"}},
      {"a network fault on a link from a node that does not exist",
       run_with("faults", R"([{"at": "10ms", "kind": "network", "from": ["client7"],
                                "to": ["lock"], "set": {"loss": 1}, "for": "5ms"}])"),
       {"s.json", "faults[0].from[0]", "a node of this scenario"}},
      {"a network fault on links with a setting a link does not have",
       run_with("faults", R"([{"at": "10ms", "kind": "network", "from": ["lock"],
                                "to": ["client1"], "set": {"fifo": true}}])"),
       {"s.json", "faults[0].set.fifo", "unknown field"}},
      // Faults triggered by events (docs/scenarios.md).
      {"a trigger on an event that does not exist",
       run_with("faults", R"([{"when": {"on": "recv"}, "kind": "crash", "node": "lock"}])"),
       {"s.json", "faults[0].when.on", "\"send\" or \"deliver\"", "\"recv\""}},
      {"a trigger filtering on an unknown node",
       run_with("faults", R"([{"when": {"on": "send", "node": "client9"}, "kind": "crash",
                               "node": "lock"}])"),
       {"s.json", "faults[0].when.node", "a node of this scenario", "client9"}},
      {"a trigger's peer that is not a node",
       run_with("faults", R"([{"when": {"on": "deliver", "peer": "x"}, "kind": "drop"}])"),
       {"s.json", "faults[0].when.peer", "a node of this scenario"}},
      {"a trigger on the 0th event",
       run_with("faults", R"([{"when": {"on": "send", "nth": 0}, "kind": "drop"}])"),
       {"s.json", "faults[0].when.nth", "from 1"}},
      {"a fault with both at and when",
       run_with("faults", R"([{"at": "1ms", "when": {"on": "send"}, "kind": "crash",
                               "node": "lock"}])"),
       {"s.json", "faults[0].when", "not both"}},
      {"a drop at a time, without a message",
       run_with("faults", R"([{"at": "1ms", "kind": "drop"}])"),
       {"s.json", "faults[0].kind", "a drop needs a \"when\" trigger"}},
      {"a drop delayed after its message",
       run_with("faults", R"([{"when": {"on": "send"}, "after": "1ms", "kind": "drop"}])"),
       {"s.json", "faults[0].after", "no delay for a drop"}},
      {"a delay after a time",
       run_with("faults", R"([{"at": "1ms", "after": "1ms", "kind": "crash", "node": "lock"}])"),
       {"s.json", "faults[0].after", "without a \"when\""}},
      {"a trigger field nobody knows",
       run_with("faults", R"([{"when": {"on": "send", "msg": "Granted"}, "kind": "drop"}])"),
       {"s.json", "faults[0].when.msg"}},
      {"a scenario nested 60000 deep",
       run_with("params", "{\"x\": " + nested(60000) + "}"),
       {"s.json", "params.x[0]", "levels of nested"}},
      {"a --set value nested 60000 deep",
       run_set("params.x=" + nested(60000)),
       {"scenario.json", "--set params.x", "levels of nested"}},
      {"a tape nested 60000 deep",
       [](const TempDir& d) {
         write(d / "tape.json", "{\"choices\": " + nested(60000) + "}");
         return std::vector<std::string>{"replay", d / "tape.json", "--out", d / "out"};
       },
       {"tape.json", "choices[0]", "levels of nested"}},
      {"a results file nested 60000 deep",
       merge_of("{\"runs\": " + nested(60000) + "}"),
       {"results.json", "runs[0]", "levels of nested"}},
      {"merge of runs without a seed",
       merge_of(R"({"scenario": "s.json", "runs": [{"events": 1},
                                                  {"events": 2}], "ok": 2, "violations": {}})"),
       {"results.json", "runs[0].seed", "required"}},
      {"merge with a negative ok",
       merge_of(R"({"scenario": "s.json", "runs": [], "ok": -5,
                                               "violations": {}})"),
       {"results.json", "ok", "a count of runs"}},
      {"merge with counts that do not add up",
       merge_of(R"({"scenario": "s.json", "runs":
                                                         [{"seed": 1}], "ok": 0,
                                                         "violations": {}})"),
       {"results.json", "ok", "one count per run"}},
      {"merge of results without violation counts",
       merge_of(R"({"scenario": "s.json", "runs": [{"seed": 1}], "ok": 1})"),
       {"results.json", "violations", "run counts by checker"}},
      {"merge of runs out of seed order",
       merge_of(R"({"scenario": "s.json", "runs": [{"seed": 2}, {"seed": 1}], "ok": 2,
                    "violations": {}})"),
       {"results.json", "runs[1].seed", "seed order"}},
      {"merge of a run over 1 MiB",
       merge_of(R"({"scenario": "s.json", "runs": [{"seed": 1, "error": ")" +
                std::string(size_t{1} << 20, 'x') + R"("}], "ok": 0, "violations": {"error": 1}})"),
       {"results.json", "runs[0]", "1 MiB"}},
      {"merge of a results file that is not an object",
       merge_of("[1, 2]"),
       {"results.json", "(document)", "an object"}},
      // Internal errors that were bad input.
      {"invalid UTF-8 through --set",
       run_set("description=caf\xe9"),
       {"scenario.json", "--set", "UTF-8"}},
      {"invalid UTF-8 in a --set key",
       run_set("params.\xff=1"),
       {"scenario.json", "--set", "UTF-8"}},
      {"invalid UTF-8 in a scenario string",
       [](const TempDir& d) {
         write(d / "s.json", scenario_with("description", "\"caf\xe9\""));
         return std::vector<std::string>{"run", d / "s.json", "--out", d / "out"};
       },
       {"s.json", "UTF-8"}},
      {"a clock jump of more than 20,000 days",
       run_with("faults", R"([{"at": "10ms", "kind": "clock-jump", "node": "lock",
                               "by": "-480001h"}])"),
       {"s.json", "faults[0].by", "from -1728000000s to 1728000000s", "-480001h"}},
      {"a clock offset of more than a year",
       run_with("clocks", R"({"lock": {"offset": "8761h"}})"),
       {"s.json", "clocks.lock.offset", "31536000s"}},
      {"a seed out of range (1e400)",
       run_with("seed", "1e400"),
       {"s.json", "a number a double can hold"}},
      {"--out an existing file",
       [](const TempDir& d) {
         write(d / "file", "x");
         return std::vector<std::string>{"run", d / "scenario.json", "--out", d / "file"};
       },
       {"file", "--out", "a directory"}},
      {"--out under a file",
       [](const TempDir& d) {
         write(d / "file", "x");
         return std::vector<std::string>{"run", d / "scenario.json", "--out", d / "file/out"};
       },
       {"file/out", "--out"}},
      {"--out in /proc",
       [](const TempDir& d) {
         return std::vector<std::string>{"run", d / "scenario.json", "--out",
                                         "/proc/faultline-out"};
       },
       {"/proc/faultline-out", "--out"}},
      {"explore --out an existing file",
       [](const TempDir& d) {
         write(d / "file", "x");
         return std::vector<std::string>{"explore", d / "scenario.json", "--seeds", "1..2",
                                         "--out",   d / "file"};
       },
       {"file", "--out"}},
      {"a directory as a tape",
       [](const TempDir& d) {
         fs::create_directory(d / "tape.json");
         return std::vector<std::string>{"replay", d / "tape.json", "--out", d / "out"};
       },
       {"tape.json", "a directory"}},
      {"a directory as a results file",
       [](const TempDir& d) {
         fs::create_directory(d / "results.json");
         return std::vector<std::string>{"merge", d / "results.json"};
       },
       {"results.json", "a directory"}},
      {"a directory as a scenario",
       [](const TempDir& d) {
         return std::vector<std::string>{"run", d.path(), "--out", d / "out"};
       },
       {"faultline-test-", "a directory"}},
      // Silent acceptance.
      {"a negative --seed",
       [](const TempDir& d) {
         return std::vector<std::string>{"run",    d / "scenario.json", "--seed", "-1", "--out",
                                         d / "out"};
       },
       {"--seed", "-1"}},
      {"a negative seed range", explore_with("--seeds", "-5..-1"), {"--seeds", "-5..-1"}},
      {"a shard with two slashes", explore_with("--shard", "1/2/3"), {"--shard", "1/2/3"}},
      {"a negative shrink budget",
       explore_with("--shrink-budget", "-5"),
       {"--shrink-budget", "-5"}},
      {"a negative shrink --budget",
       [](const TempDir& d) {
         return std::vector<std::string>{"shrink", d / "scenario.json", "--budget", "-1",
                                         "--out",  d / "out/s.json"};
       },
       {"--budget", "-1"}},
      {"a duplicate key",
       run_with("variant", "\"fenced\""),
       {"s.json", "variant", "each key once"}},
      {"trailing garbage after the document",
       [](const TempDir& d) {
         write(d / "s.json", kScenario + " {}");
         return std::vector<std::string>{"run", d / "s.json", "--out", d / "out"};
       },
       {"s.json", "valid JSON"}},
      {"trailing garbage after a tape",
       [](const TempDir& d) {
         write(d / "tape.json", R"({"scenario": "s.json", "choices": []} x)");
         return std::vector<std::string>{"replay", d / "tape.json", "--out", d / "out"};
       },
       {"tape.json", "valid JSON"}},
      {"merge of the same file twice",
       [](const TempDir& d) {
         write(d / "results.json", kResults);
         return std::vector<std::string>{"merge", d / "results.json", d / "results.json", "--out",
                                         d / "out/m.json"};
       },
       {"results.json", "runs[0].seed", "each shard merged once"}},
      {"an unknown subcommand",
       [](const TempDir&) { return std::vector<std::string>{"frobnicate"}; },
       {"frobnicate", "run", "explore", "merge"}},
      {"a missing argument",
       [](const TempDir&) { return std::vector<std::string>{"run"}; },
       {"scenario"}},
      {"shrink with an unknown checker",
       [](const TempDir& d) {
         return std::vector<std::string>{"shrink", d / "scenario.json", "--checker", "bogus",
                                         "--out",  d / "out/s.json"};
       },
       {"scenario.json", "--checker", "bogus"}},
      // Unsafe output.
      {"merge --out a device",
       [](const TempDir& d) {
         write(d / "results.json", kResults);
         return std::vector<std::string>{"merge", d / "results.json", "--out", "/dev/null"};
       },
       {"/dev/null", "--out", "a device"}},
      // Unbounded resources.
      {"/dev/zero as a scenario",
       [](const TempDir& d) {
         return std::vector<std::string>{"run", "/dev/zero", "--out", d / "out"};
       },
       {"/dev/zero", "MiB"}},
      {"a nemesis every microsecond",
       [](const TempDir& d) {
         write(d / "s.json", R"({"protocol": "lease-lock", "duration": "30s",
                                 "nemesis": {"kinds": ["partition"], "interval": "1us",
                                             "fault_min": "1us", "fault_max": "2us"}})");
         return std::vector<std::string>{"explore", d / "s.json", "--seeds",
                                         "1",       "--out",      d / "out"};
       },
       {"s.json", "duration", "faults"}},
  };
}

}  // namespace

TEST_CASE("bad input: exit 2, one line naming the file and the field, no file left in --out") {
  for (const BadInput& bad : bad_inputs()) {
    TempDir dir;
    write(dir / "scenario.json", kScenario);
    std::vector<std::string> args = bad.args(dir);
    CommandResult r = run_faultline(args);
    INFO(bad.name << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK((!r.err.empty() && r.err.back() == '\n'));
    for (const std::string& mention : bad.stderr_mentions) {
      CHECK(r.err.find(mention) != std::string::npos);
    }
    CHECK(files_under(dir / "out").empty());
  }
}

TEST_CASE("merge --out refuses to replace a device: /dev/null stays a character device") {
  TempDir dir;
  write(dir / "results.json", kResults);
  CommandResult r = run_faultline({"merge", dir / "results.json", "--out", "/dev/null"});
  CHECK(r.exit_code == 2);
  struct stat info {};
  REQUIRE(stat("/dev/null", &info) == 0);
  CHECK(S_ISCHR(info.st_mode));
}

TEST_CASE("a scenario seed of 2^64-1 runs as that seed, not clamped to 2^63-1") {
  TempDir dir;
  write(dir / "s.json", scenario_with("seed", "18446744073709551615"));
  CommandResult r = run_faultline({"run", dir / "s.json", "--json", "--out", dir / "out"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"seed\": 18446744073709551615") != std::string::npos);
}

TEST_CASE("a run stopped by SIGTERM leaves no temporary file behind") {
  TempDir dir;
  // An hour of Raft under a nemesis: stopped long before it ends, while its trace is written.
  CommandResult r = run_shell(
      "faultline run scenarios/raft/nemesis.json --set duration=3600s --no-diagram --out " +
      (dir / "out") + " >/dev/null 2>&1 & pid=$!; i=0; while [ ! -e " +
      (dir / "out/trace.jsonl.tmp") +
      " ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; sleep 0.3; kill -TERM $pid; "
      "wait $pid; echo status=$?");
  INFO(r.out << r.err);
  CHECK(r.out.find("status=143") != std::string::npos);  // died of SIGTERM, as sent
  CHECK(files_under(dir / "out").empty());
}

}  // namespace faultline::testing
