// The CI reports of an explore result: JUnit XML with one test case per failing seed and one for
// the passing seeds, GitHub annotations and a Markdown summary, each naming the reproduce command.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "run/ci_report.hpp"

namespace faultline::run {
namespace {

const nlohmann::json kResults = nlohmann::json::parse(R"({
  "scenario": "scenarios/locks/lease-unfenced-nemesis.json",
  "ok": 2,
  "violations": {"fenced-mutual-exclusion": 1, "error": 1},
  "runs": [
    {"seed": 1, "events": 10, "violations": ["fenced-mutual-exclusion", "liveness"]},
    {"seed": 2, "events": 10},
    {"seed": 3, "events": 10, "error": "boom <&>"},
    {"seed": 4, "events": 10}
  ]})");

size_t count(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

}  // namespace

TEST_CASE("JUnit XML: a test case per failing seed with its reproduce command, one for the rest") {
  const std::string xml = junit_xml(kResults, {"params.ttl=5s"});
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 0) == 0);
  CHECK(count(xml, "<testsuite ") == 1);
  CHECK(count(xml, "<testcase ") == 3);
  CHECK(count(xml, "<failure ") == 2);
  CHECK(count(xml, "</testcase>") == 2);  // the passing case closes itself
  CHECK(xml.find("<testsuite name=\"scenarios/locks/lease-unfenced-nemesis.json\" tests=\"3\" "
                 "failures=\"2\"") != std::string::npos);
  CHECK(xml.find("name=\"seed 1\"") != std::string::npos);
  CHECK(xml.find("message=\"fenced-mutual-exclusion, liveness\"") != std::string::npos);
  CHECK(xml.find("reproduce: faultline run scenarios/locks/lease-unfenced-nemesis.json --seed 1 "
                 "--set &apos;params.ttl=5s&apos;") != std::string::npos);
  CHECK(xml.find("error: boom &lt;&amp;&gt;") != std::string::npos);
  CHECK(xml.find("name=\"seeds 1..4: 2 ok\"/>") != std::string::npos);
  CHECK(xml.find("boom <") == std::string::npos);
}

TEST_CASE("GitHub annotations: one ::error per failing seed; the summary tables them") {
  const std::string annotations = github_annotations(kResults, {});
  CHECK(count(annotations, "(^|\n)::error ") == 2);
  CHECK(annotations.find("::error file=scenarios/locks/lease-unfenced-nemesis.json,title="
                         "faultline: fenced-mutual-exclusion, liveness::seed 1 fails; "
                         "reproduce: faultline run scenarios/locks/lease-unfenced-nemesis.json "
                         "--seed 1\n") != std::string::npos);
  const std::string summary = github_summary(kResults, {});
  CHECK(summary.find("seeds 1..4: 2 ok, 2 failing") != std::string::npos);
  CHECK(summary.find("| 3 | error: boom <&> |") != std::string::npos);
}

TEST_CASE("xml_escape leaves no markup and no control character XML forbids") {
  CHECK(xml_escape("a<b>&\"'\x01\tc") == "a&lt;b&gt;&amp;&quot;&apos;?\tc");
}

}  // namespace faultline::run
