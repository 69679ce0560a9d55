// explore and merge as CI runs them. `--junit` writes JUnit XML that validates against the
// schema CI servers read (tests/data/junit.xsd, checked with xmllint) and whose tests, failures
// and errors counts equal its elements: a test case per failing seed with its reproduce command,
// one for the seeds past the first 100 failing, one for the passing seeds. Under GitHub Actions
// (GITHUB_ACTIONS=true) both print an ::error annotation per failing seed and append the job
// summary to $GITHUB_STEP_SUMMARY. The results do not depend on --jobs, and the progress line is
// drawn on a terminal only.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/command.hpp"

namespace faultline::testing {
namespace {

// The unfenced lease lock under a nemesis: most seeds break it, some do not.
const std::string kScenario = "scenarios/locks/lease-unfenced-nemesis.json";
const std::string kSeeds = "1..40";
// A --set that changes nothing the runs do, for the reproduce commands to repeat.
const std::string kSet = "description=ci";

size_t count(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string quoted(const std::string& path) {
  return "'" + path + "'";
}

// The number in `attribute="N"` of the first <element ...> (-1 when it has none).
long long count_attribute(const std::string& xml, const std::string& element,
                          const std::string& attribute) {
  std::smatch match;
  const std::regex start("<" + element + "\\s[^>]*>");
  if (!std::regex_search(xml, match, start)) return -1;
  const std::string tag = match.str();
  const std::regex value("\\s" + attribute + "=\"([0-9]+)\"");
  return std::regex_search(tag, match, value) ? std::stoll(match[1].str()) : -1;
}

// The file validates against the JUnit schema, and both its totals count its elements.
void check_junit_file(const std::string& file) {
  const CommandResult lint =
      run_shell("xmllint --noout --schema " + quoted(source_dir() + "/tests/data/junit.xsd") + " " +
                quoted(file));
  INFO(file << ": " << lint.out << lint.err);
  CHECK(lint.exit_code == 0);
  const std::string xml = read_text(file);
  const auto cases = static_cast<long long>(count(xml, "<testcase "));
  const auto failures = static_cast<long long>(count(xml, "<failure "));
  const auto errors = static_cast<long long>(count(xml, "<error "));
  CHECK(cases > 0);
  for (const std::string element : {"testsuites", "testsuite"}) {
    INFO(element);
    CHECK(count_attribute(xml, element, "tests") == cases);
    CHECK(count_attribute(xml, element, "failures") == failures);
    CHECK(count_attribute(xml, element, "errors") == errors);
  }
  CHECK(count(xml, "<testsuite ") == 1);
}

std::set<uint64_t> failing_seeds(const nlohmann::json& results) {
  std::set<uint64_t> seeds;
  for (const auto& run : results.at("runs")) {
    if (run.contains("violations") || run.contains("error"))
      seeds.insert(run.at("seed").get<uint64_t>());
  }
  return seeds;
}

// The seeds named by `pattern`'s first group in `text`.
std::set<uint64_t> seeds_in(const std::string& text, const std::string& pattern) {
  std::set<uint64_t> seeds;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    seeds.insert(std::stoull((*it)[1].str()));
  }
  return seeds;
}

std::vector<std::string> explore_args(const std::string& out,
                                      const std::vector<std::string>& more) {
  std::vector<std::string> args = {"explore", kScenario, "--seeds", kSeeds,
                                   "--set",   kSet,      "--out",   out};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_CASE("explore --junit: a failing exploration's JUnit XML validates, a test case per seed") {
  TempDir dir;
  const CommandResult r = run_faultline(explore_args(dir / "out", {"--junit", dir / "junit.xml"}));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 1);
  CHECK(r.err.empty());           // no progress line: standard error is no terminal
  CHECK(!has(r.out, "::error"));  // not under GitHub Actions
  CHECK(has(r.out, "  junit    " + dir / "junit.xml" + "\n"));
  check_junit_file(dir / "junit.xml");

  const nlohmann::json results = read_json(dir / "out/results.json");
  CHECK(results.at("set") == nlohmann::json::array({kSet}));
  const std::set<uint64_t> failing = failing_seeds(results);
  REQUIRE(!failing.empty());
  REQUIRE(failing.size() < 40);  // some seeds pass: the passing test case is there
  const std::string xml = read_text(dir / "junit.xml");
  CHECK(seeds_in(xml, "<testcase [^>]*name=\"seed ([0-9]+)\"") == failing);
  for (uint64_t seed : failing) {
    INFO("seed " << seed);
    CHECK(has(xml, "\nreproduce: faultline run " + kScenario + " --seed " + std::to_string(seed) +
                       " --set &#39;" + kSet + "&#39;</failure>"));
  }
  CHECK(count(xml, "<failure message=\"fenced-mutual-exclusion\" type=\"violation\">") ==
        failing.size());
  CHECK(has(xml,
            "<testcase classname=\"scenarios/locks/lease-unfenced-nemesis\" name=\"seeds "
            "1..40: " +
                std::to_string(results.at("ok").get<uint64_t>()) + " of 40 ok\"/>"));
}

TEST_CASE("explore --junit lists the first 100 failing seeds, then one test case for the rest") {
  // Kleppmann's GC pause breaks the unfenced lock on every seed, quickly.
  TempDir dir;
  const CommandResult r =
      run_faultline({"explore", "scenarios/locks/lease-gc-pause.json", "--seeds", "1..130", "--out",
                     dir / "out", "--junit", dir / "junit.xml"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 1);
  check_junit_file(dir / "junit.xml");
  const std::string xml = read_text(dir / "junit.xml");
  const std::set<uint64_t> listed = seeds_in(xml, "<testcase [^>]*name=\"seed ([0-9]+)\"");
  REQUIRE(listed.size() == 100);
  CHECK(*listed.begin() == 1);
  CHECK(*listed.rbegin() == 100);
  CHECK(has(xml,
            "name=\"30 more failing seeds\">\n      <failure message=\"30 more seeds with a "
            "violation, past seed 100 (the first 100 failing seeds are listed)\""));
  CHECK(has(xml, "tests=\"101\" failures=\"101\" errors=\"0\""));  // no seed passed: no such case
}

TEST_CASE("merge --junit: the shards merged give the JUnit XML of one unsharded explore") {
  TempDir dir;
  for (const std::string shard : {"1", "2"}) {
    const CommandResult r =
        run_faultline(explore_args(dir / ("shard-" + shard), {"--shard", shard + "/2"}));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
  }
  // In the order a glob gives them or another: the listing does not depend on it.
  const CommandResult merged =
      run_faultline({"merge", dir / "shard-2/results.json", dir / "shard-1/results.json", "--out",
                     dir / "merged.json", "--junit", dir / "merged.xml"});
  INFO(merged.out << merged.err);
  CHECK(merged.exit_code == 1);
  CHECK(has(merged.out, "  junit    " + dir / "merged.xml" + "\n"));
  check_junit_file(dir / "merged.xml");
  CHECK(read_json(dir / "merged.json").at("set") == nlohmann::json::array({kSet}));

  const CommandResult whole =
      run_faultline(explore_args(dir / "whole", {"--junit", dir / "whole.xml"}));
  REQUIRE(whole.exit_code == 1);
  CHECK(read_text(dir / "merged.xml") == read_text(dir / "whole.xml"));
}

TEST_CASE("merge refuses shards that ran with different --set overrides") {
  TempDir dir;
  for (const std::string shard : {"1", "2"}) {
    const CommandResult r =
        run_faultline({"explore", kScenario, "--seeds", "1..2", "--shard", shard + "/2", "--set",
                       "description=shard" + shard, "--out", dir / ("shard-" + shard)});
    REQUIRE(r.exit_code <= 1);
  }
  const CommandResult merged =
      run_faultline({"merge", dir / "shard-1/results.json", dir / "shard-2/results.json", "--junit",
                     dir / "merged.xml"});
  INFO(merged.out << merged.err);
  CHECK(merged.exit_code == 2);
  CHECK(has(merged.err, dir / "shard-2/results.json" +
                            ": set: expected the --set overrides of the other shards "
                            "([\"description=shard1\"]), got [\"description=shard2\"]"));
  CHECK(!std::ifstream(dir / "merged.xml"));
}

TEST_CASE("GITHUB_ACTIONS=true: an ::error per failing seed, the job summary appended") {
  TempDir dir;
  const std::string summary = dir / "step-summary.md";
  std::ofstream(summary) << "## an earlier step\n";
  const std::string github = "GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=" + quoted(summary) + " ";
  const CommandResult r = run_shell(github + "faultline explore " + kScenario + " --seeds " +
                                    kSeeds + " --set " + kSet + " --out " + quoted(dir / "out"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 1);
  const std::set<uint64_t> failing = failing_seeds(read_json(dir / "out/results.json"));
  REQUIRE(!failing.empty());
  // The runner reads each line of standard output that starts with "::".
  const std::string annotation =
      "(^|\n)::error file=" + std::regex_replace(kScenario, std::regex("\\."), "\\.") +
      ",title=faultline%3A fenced-mutual-exclusion at seed ([0-9]+)::";
  CHECK(count(r.out, "(^|\n)::") == failing.size());
  std::set<uint64_t> annotated;
  const std::regex re(annotation);
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), re); it != std::sregex_iterator();
       ++it) {
    annotated.insert(std::stoull((*it)[2].str()));
  }
  CHECK(annotated == failing);
  CHECK(has(r.out, "; reproduce: faultline run " + kScenario + " --seed " +
                       std::to_string(*failing.begin()) + " --set '" + kSet + "'\n"));

  std::string text = read_text(summary);
  CHECK(text.rfind("## an earlier step\n### faultline: " + kScenario + "\n\nseeds 1..40: ", 0) ==
        0);
  CHECK(seeds_in(text, "\n\\| ([0-9]+) \\| fenced-mutual-exclusion \\| `faultline run ") ==
        failing);
  CHECK(has(text, "| fenced-mutual-exclusion | " + std::to_string(failing.size()) + " |\n"));
  // The first failing seed drawn as a Mermaid block, which GitHub renders, with its violation.
  const std::string seed = std::to_string(*failing.begin());
  CHECK(has(text, "\n<details><summary>Seed " + seed +
                      " as a sequence diagram</summary>\n\n```mermaid\n---\ntitle: "));
  CHECK(has(text, "), seed " + seed + "\n---\nsequenceDiagram\n"));
  CHECK(count(text, "\n  Note over [^\n]* VIOLATION fenced-mutual-exclusion: ") >= 1);
  CHECK(has(text, "```\n\n</details>\n"));

  // merge appends its own; without GITHUB_ACTIONS nothing is printed or appended.
  const CommandResult merged =
      run_shell(github + "faultline merge " + quoted(dir / "out/results.json"));
  INFO(merged.out << merged.err);
  CHECK(merged.exit_code == 1);
  CHECK(count(merged.out, "(^|\n)::error ") == failing.size());
  text = read_text(summary);
  CHECK(count(text, "### faultline: ") == 2);
  const CommandResult outside = run_shell("GITHUB_STEP_SUMMARY=" + quoted(summary) +
                                          " faultline merge " + quoted(dir / "out/results.json"));
  CHECK(outside.exit_code == 1);
  CHECK(!has(outside.out, "::"));
  CHECK(read_text(summary) == text);
}

TEST_CASE("--junit refuses a device, a directory or an unwritable path before the seeds run") {
  TempDir dir;
  struct Case {
    std::string junit, got;
  };
  for (const Case& c :
       {Case{"/dev/null",
             "expected a regular file or a new name to write, got a "
             "device"},
        Case{dir.path(),
             "expected a regular file or a new name to write, got a "
             "directory"},
        Case{dir / "no/such/dir/junit.xml", "expected a path where a file can be written"}}) {
    const CommandResult explore = run_faultline(explore_args(dir / "out", {"--junit", c.junit}));
    INFO(c.junit << ": " << explore.out << explore.err);
    CHECK(explore.exit_code == 2);
    CHECK(has(explore.err, c.junit + ": --junit: " + c.got));
    CHECK(explore.out.empty());  // refused before the sweep
    CHECK(!std::ifstream(dir / "out/results.json"));
    const CommandResult merge =
        run_faultline({"merge", "no-such-results.json", "--junit", c.junit});
    CHECK(merge.exit_code == 2);
    CHECK(has(merge.err, c.junit + ": --junit: " + c.got));  // before reading the shards
  }
}

TEST_CASE("explore's results and JUnit XML do not depend on --jobs; the default is every core") {
  TempDir dir;
  std::string results, junit;
  for (const std::string jobs : {"", "1", "3"}) {
    std::vector<std::string> more = {"--junit", dir / ("junit" + jobs + ".xml")};
    if (!jobs.empty()) more.insert(more.end(), {"--jobs", jobs});
    const CommandResult r = run_faultline(explore_args(dir / ("out" + jobs), more));
    INFO("--jobs " << jobs << ": " << r.out << r.err);
    CHECK(r.exit_code == 1);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    CHECK(has(r.out, " runs on " + (jobs.empty() ? std::to_string(cores) : jobs) + " threads\n"));
    if (results.empty()) {
      results = read_text(dir / ("out" + jobs + "/results.json"));
      junit = read_text(dir / ("junit" + jobs + ".xml"));
    } else {
      CHECK(read_text(dir / ("out" + jobs + "/results.json")) == results);
      CHECK(read_text(dir / ("junit" + jobs + ".xml")) == junit);
    }
  }
}

TEST_CASE("explore draws its progress line on a terminal only") {
  TempDir dir;
  // script(1) runs the command on a pseudo-terminal and copies what it printed.
  const CommandResult tty =
      run_shell("script -qec " +
                quoted("faultline explore " + kScenario + " --seeds 1..20 --out " + dir / "out") +
                " /dev/null");
  INFO(tty.out << tty.err);
  CHECK(tty.exit_code == 1);
  CHECK(std::regex_search(tty.out, std::regex("\rexplore: 20/20 seeds, [0-9]+ failing, [0-9]+ "
                                              "seeds/s\x1b\\[K\r?\n")));
  const CommandResult pipe =
      run_faultline({"explore", kScenario, "--seeds", "1..20", "--out", dir / "out"});
  CHECK(pipe.exit_code == 1);
  CHECK(pipe.err.empty());
  CHECK(!has(pipe.out, "\r"));
}

}  // namespace faultline::testing
