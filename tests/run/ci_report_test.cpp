// The CI reports of an explore result: JUnit XML with one test case per failing seed and one for
// the passing seeds, GitHub annotations and a Markdown summary, each naming the reproduce command;
// built from a summary that lists a bounded number of failing seeds, the lowest, in any order.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "base/markup_escape.hpp"
#include "run/ci_report.hpp"

namespace faultline::run {
namespace {

const nlohmann::json kResults = nlohmann::json::parse(R"({
  "scenario": "scenarios/locks/lease-unfenced-nemesis.json",
  "ok": 2,
  "violations": {"fenced-mutual-exclusion": 1, "liveness": 1, "error": 1},
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

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("JUnit XML: a test case per failing seed with its reproduce command, one for the rest") {
  const std::string xml = junit_xml(ci_summary(kResults, {"params.ttl=5s"}));
  INFO(xml);
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 0) == 0);
  CHECK(count(xml, "<testsuite ") == 1);
  CHECK(count(xml, "<testcase ") == 3);
  CHECK(count(xml, "<failure ") == 1);
  CHECK(count(xml, "<error ") == 1);      // an internal error is not a violation
  CHECK(count(xml, "</testcase>") == 2);  // the passing case closes itself
  CHECK(has(xml, "<testsuites name=\"faultline\" tests=\"3\" failures=\"1\" errors=\"1\">"));
  CHECK(has(xml,
            "<testsuite name=\"scenarios/locks/lease-unfenced-nemesis.json\" tests=\"3\" "
            "failures=\"1\" errors=\"1\" skipped=\"0\">"));
  CHECK(has(xml, "classname=\"scenarios/locks/lease-unfenced-nemesis\" name=\"seed 1\""));
  CHECK(has(xml, "message=\"fenced-mutual-exclusion, liveness\" type=\"violation\""));
  CHECK(has(xml,
            "reproduce: faultline run scenarios/locks/lease-unfenced-nemesis.json --seed 1 "
            "--set &#39;params.ttl=5s&#39;"));
  CHECK(has(xml,
            "<error message=\"boom &lt;&amp;&gt;\" type=\"internal error\">internal error at "
            "seed 3: boom &lt;&amp;&gt;\nreproduce: "));
  CHECK(has(xml, "name=\"seeds 1..4: 2 of 4 ok\"/>"));
  CHECK(!has(xml, "boom <"));
}

TEST_CASE("JUnit XML: every seed failing gives no passing test case; no seed failing, only it") {
  CiSummary all_fail("s.json", {});
  all_fail.add(5, {"agreement"}, "");
  const std::string failing = junit_xml(all_fail);
  CHECK(count(failing, "<testcase ") == 1);
  CHECK(has(failing, "tests=\"1\" failures=\"1\" errors=\"0\""));

  CiSummary none_fail("s.json", {});
  none_fail.add(5, {}, "");
  none_fail.add(6, {}, "");
  const std::string passing = junit_xml(none_fail);
  CHECK(count(passing, "<testcase ") == 1);
  CHECK(has(passing, "tests=\"1\" failures=\"0\" errors=\"0\""));
  CHECK(has(passing, "name=\"seeds 5..6: 2 of 2 ok\"/>"));
  CHECK(github_annotations(none_fail).empty());
}

TEST_CASE("JUnit XML: seeds no checker decided are one skipped test case, not passes") {
  const nlohmann::json results = nlohmann::json::parse(R"({
    "scenario": "s.json", "ok": 1, "unknown": 2, "violations": {},
    "runs": [{"seed": 9, "unknown": ["linearizable"]}, {"seed": 3},
             {"seed": 7, "unknown": ["linearizable"]}]})");
  const CiSummary summary = ci_summary(results, {});
  CHECK(summary.ok() == 1);
  CHECK(summary.undecided() == 2);
  CHECK(summary.undecided_seeds() == std::vector<uint64_t>{7, 9});
  const std::string xml = junit_xml(summary);
  INFO(xml);
  CHECK(has(xml, "tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\">"));
  CHECK(has(xml,
            "name=\"2 seeds undecided\">\n      <skipped message=\"a checker gave up before "
            "a verdict on seeds 7, 9 (not a pass); the results file has every seed&#39;s "
            "result\"/>"));
  CHECK(has(xml, "name=\"seeds 3..9: 1 of 3 ok\"/>"));
}

TEST_CASE("CiSummary lists the lowest failing seeds, whatever the order, and counts the rest") {
  CiSummary s("s.json", {}, 3);
  // A merge reads shards one after another: seeds arrive out of order.
  for (uint64_t seed : {9, 2, 7, 4, 1, 8, 3, 6, 5, 10}) {
    if (seed == 6) {
      s.add(seed, {}, "");
    } else if (seed == 3 || seed == 8) {
      s.add(seed, {}, "bad");
    } else {
      s.add(seed, {"agreement"}, "");
    }
  }
  CHECK(s.runs() == 10);
  CHECK(s.ok() == 1);
  CHECK(s.failing() == 7);
  CHECK(s.errors() == 2);
  CHECK(s.first_seed() == 1);
  CHECK(s.last_seed() == 10);
  REQUIRE(s.listed().size() == 3);
  CHECK(s.listed().begin()->first == 1);
  CHECK(s.listed().rbegin()->first == 3);
  CHECK(s.unlisted_failing() == 5);  // 4 5 7 9 10
  CHECK(s.unlisted_errors() == 1);   // 8
  CHECK(s.unlisted_violations() == std::map<std::string, uint64_t>{{"agreement", 5}});

  const std::string xml = junit_xml(s);
  INFO(xml);
  // seeds 1, 2 (failures) and 3 (error), 5 more failing, 1 more error, the passing seed.
  CHECK(count(xml, "<testcase ") == 6);
  CHECK(count(xml, "<failure ") == 3);
  CHECK(count(xml, "<error ") == 2);
  CHECK(has(xml, "tests=\"6\" failures=\"3\" errors=\"2\""));
  CHECK(has(xml, "name=\"5 more failing seeds\">"));
  CHECK(has(xml,
            "5 more seeds with a violation, past seed 3 (the first 3 failing seeds are "
            "listed)\nagreement: 5\n"));
  CHECK(has(xml, "name=\"1 more seed with an internal error\">"));

  const std::string annotations = github_annotations(s);
  CHECK(count(annotations, "(^|\n)::error ") == 5);
  CHECK(has(annotations, "title=faultline%3A 5 more failing seeds::5 more seeds"));
  const std::string summary = github_summary(s);
  CHECK(has(summary, "seeds 1..10: 1 of 10 ok, 7 with a violation, 2 with an internal error\n"));
  CHECK(has(summary, "| agreement | 7 |\n"));
  CHECK(count(summary, "\n\\| [0-9]+ \\| ") == 3);
  CHECK(has(summary, "5 more seeds with a violation, past seed 3"));
}

TEST_CASE("GitHub annotations: one ::error per failing seed; the summary tables them") {
  const std::string annotations = github_annotations(ci_summary(kResults, {}));
  CHECK(count(annotations, "(^|\n)::error ") == 2);
  // A property's ':' and ',' are escaped: the runner would read them as the property's end.
  CHECK(has(annotations,
            "::error file=scenarios/locks/lease-unfenced-nemesis.json,title="
            "faultline%3A fenced-mutual-exclusion%2C liveness at seed 1::seed 1: "
            "fenced-mutual-exclusion, liveness; reproduce: faultline run "
            "scenarios/locks/lease-unfenced-nemesis.json --seed 1\n"));
  CHECK(has(annotations, "title=faultline%3A internal error at seed 3::seed 3: boom <&>; "));
  const std::string summary = github_summary(ci_summary(kResults, {}));
  CHECK(has(summary, "seeds 1..4: 2 of 4 ok, 1 with a violation, 1 with an internal error"));
  CHECK(has(summary, "| 3 | internal error: boom <&> |"));
  CHECK(has(summary, "| fenced-mutual-exclusion | 1 |\n| liveness | 1 |\n"));
}

TEST_CASE("GitHub's formats: a newline or '|' in a message stays inside its line and cell") {
  CiSummary s("s.json", {"a=x|y"});
  s.add(1, {}, "line one\nline two | 100%");
  const std::string annotations = github_annotations(s);
  CHECK(count(annotations, "\n") == 1);
  CHECK(has(annotations, "line one%0Aline two | 100%25"));
  const std::string summary = github_summary(s);
  CHECK(has(summary,
            "| 1 | internal error: line one line two \\| 100% | `faultline run s.json "
            "--seed 1 --set 'a=x\\|y'` |\n"));
}

TEST_CASE("markup_escape leaves no markup, no control character and no byte that is not UTF-8") {
  using faultline::markup_escape;
  CHECK(markup_escape("a<b>&\"'\x01\tc\n") == "a&lt;b&gt;&amp;&quot;&#39;?\tc\n");
  CHECK(markup_escape("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x90\x9B") ==
        "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x90\x9B");  // UTF-8 passes
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate: U+FFFD each.
  CHECK(markup_escape("\x80|\xC3|\xC0\xAF|\xED\xA0\x80") ==
        "\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(markup_escape("\xEF\xBF\xBF") == "\xEF\xBF\xBD");  // U+FFFF is no XML character
}

}  // namespace faultline::run
