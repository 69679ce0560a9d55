#pragma once
// What CI servers read of an explore or merge: JUnit XML, the format every CI server shows as test
// results, and for GitHub Actions, error annotations and a job summary in Markdown. One test case
// per failing seed (its failure names the checkers and the reproduce command; an internal error
// is an <error>, not a <failure>) and one for the seeds that passed, so a CI page lists exactly
// what to replay.
//
// The reports are rendered from a CiSummary, built one run at a time as explore's seeds finish or
// as merge reads its shards: counts of every seed, and at most `listed_at_most` failing seeds
// listed one by one (the lowest seeds, whatever order the runs come in), the rest counted in one
// more test case. So `explore --seeds 0..99999999` holds a bounded summary, however many fail.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::run {

// A failing seed: the checkers that fired on it (in the order they did), or an internal error.
struct CiFailure {
  uint64_t seed = 0;
  std::vector<std::string> violations;
  std::string error;  // non-empty: the run stopped on an internal error, not a violation
};

class CiSummary {
 public:
  static constexpr size_t kListedFailures = 100;

  // `scenario` is the scenario file as explore was given it; `overrides` are the `--set` pairs
  // the runs used, repeated in the reproduce commands.
  CiSummary(std::string scenario, std::vector<std::string> overrides,
            size_t listed_at_most = kListedFailures);

  // One seed's result: no violation and no error is a pass, unless a checker gave up before its
  // verdict (`undecided`): then it is neither.
  void add(uint64_t seed, const std::vector<std::string>& violations, const std::string& error,
           const std::vector<std::string>& undecided = {});
  // One run of a results.json ({"seed", "violations"?, "unknown"?, "error"?}, docs/outputs.md).
  void add_run(const nlohmann::json& run);

  // The first failing seed drawn as a Mermaid sequence diagram (run/outputs mermaid_diagram),
  // shown in the GitHub job summary under its table.
  void set_diagram(uint64_t seed, std::string mermaid) {
    diagram_seed_ = seed;
    diagram_ = std::move(mermaid);
  }
  uint64_t diagram_seed() const { return diagram_seed_; }
  const std::string& diagram() const { return diagram_; }

  const std::string& scenario() const { return scenario_; }
  const std::vector<std::string>& overrides() const { return overrides_; }
  uint64_t runs() const { return runs_; }
  uint64_t ok() const { return ok_; }
  uint64_t first_seed() const { return first_seed_; }  // of the runs added; 0 when none
  uint64_t last_seed() const { return last_seed_; }
  // Seeds on which each checker fired (a seed where two fired counts for both).
  const std::map<std::string, uint64_t>& violations() const { return violations_; }
  uint64_t failing() const { return failing_; }  // seeds with a violation (and no error)
  uint64_t errors() const { return errors_; }    // seeds stopped by an internal error
  // Seeds a checker could not decide, and the lowest of them (at most kListedFailures).
  uint64_t undecided() const { return undecided_; }
  const std::vector<uint64_t>& undecided_seeds() const { return undecided_seeds_; }
  // The listed failing seeds, by seed; then those past the list, counted.
  const std::map<uint64_t, CiFailure>& listed() const { return listed_; }
  uint64_t unlisted_failing() const { return unlisted_failing_; }
  uint64_t unlisted_errors() const { return unlisted_errors_; }
  // Seeds on which each checker fired, among the unlisted failing seeds.
  const std::map<std::string, uint64_t>& unlisted_violations() const {
    return unlisted_violations_;
  }

  // `faultline run FILE --seed N [--set '...']...`
  std::string reproduce(uint64_t seed) const;

 private:
  void unlist(const CiFailure& failure);

  std::string scenario_;
  std::vector<std::string> overrides_;
  uint64_t diagram_seed_ = 0;
  std::string diagram_;
  size_t listed_at_most_;
  uint64_t runs_ = 0, ok_ = 0, failing_ = 0, errors_ = 0, undecided_ = 0;
  std::vector<uint64_t> undecided_seeds_;
  uint64_t first_seed_ = 0, last_seed_ = 0;
  std::map<std::string, uint64_t> violations_;
  std::map<uint64_t, CiFailure> listed_;
  uint64_t unlisted_failing_ = 0, unlisted_errors_ = 0;
  std::map<std::string, uint64_t> unlisted_violations_;
};

// The summary of a whole results.json document (explore's, or merge's of several shards).
CiSummary ci_summary(const nlohmann::json& results, const std::vector<std::string>& overrides);

// JUnit XML: <testsuites> of one <testsuite> (the scenario), one <testcase> per listed failing
// seed with its <failure> or <error>, one for the failing seeds past the list (one for the
// internal errors past it), and one for the seeds that passed. The tests, failures and errors
// attributes count these elements.
std::string junit_xml(const CiSummary& summary);

// GitHub workflow commands (`::error file=...,title=...::message`) for stdout: one per listed
// failing seed, one for those past the list.
std::string github_annotations(const CiSummary& summary);

// A Markdown job summary (for $GITHUB_STEP_SUMMARY): the counts by checker, and a table of the
// listed failing seeds with their reproduce commands.
std::string github_summary(const CiSummary& summary);

}  // namespace faultline::run
