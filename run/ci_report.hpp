#pragma once
// What CI servers read of an explore or merge result (results.json): JUnit XML, the format every
// CI server shows as test results, and for GitHub Actions, error annotations and a job-summary in
// Markdown. One test case per failing seed (its failure names the checkers, the message and the
// reproduce command) and one for the seeds that passed, so a CI page lists exactly what to replay.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::run {

// `results` is a results.json document (explore's, or merge's of several shards); `overrides`
// are the `--set` pairs the runs used, repeated in the reproduce commands.
std::string junit_xml(const nlohmann::json& results, const std::vector<std::string>& overrides);

// GitHub workflow commands (`::error title=...::message`), one per failing seed, for stdout.
std::string github_annotations(const nlohmann::json& results,
                               const std::vector<std::string>& overrides);

// A Markdown job summary (for $GITHUB_STEP_SUMMARY): the counts, and a table of failing seeds
// with their reproduce commands.
std::string github_summary(const nlohmann::json& results,
                           const std::vector<std::string>& overrides);

// Characters XML gives a meaning to, as entities.
std::string xml_escape(const std::string& text);

}  // namespace faultline::run
