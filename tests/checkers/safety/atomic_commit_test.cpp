#include "checkers/safety/atomic_commit.hpp"

#include <doctest/doctest.h>

using namespace faultline;
using namespace faultline::checkers;

namespace {
constexpr int64_t kMs = 1000000;
const std::vector<Transaction> kTxns = {{"t1", {"p1", "p2"}}};

bool has(const std::vector<Finding>& findings, const std::string& checker) {
  for (const Finding& f : findings) {
    if (f.checker == checker) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("atomic commit stays quiet on a clean two-phase commit and on a clean abort") {
  const std::vector<Vote> votes = {{"t1", "p1", true, 1 * kMs}, {"t1", "p2", true, 2 * kMs}};
  const std::vector<Outcome> commits = {
      {"t1", "coord", true, 3 * kMs}, {"t1", "p1", true, 4 * kMs}, {"t1", "p2", true, 4 * kMs}};
  CHECK(check_atomic_commit(votes, commits, kTxns).empty());

  const std::vector<Vote> no_vote = {{"t1", "p1", true, 1 * kMs}, {"t1", "p2", false, 2 * kMs}};
  const std::vector<Outcome> aborts = {{"t1", "coord", false, 3 * kMs},
                                       {"t1", "p1", false, 4 * kMs}};
  CHECK(check_atomic_commit(no_vote, aborts, kTxns).empty());
}

TEST_CASE("atomic commit fires when deciders disagree") {
  const std::vector<Vote> votes = {{"t1", "p1", true, 1 * kMs}, {"t1", "p2", true, 2 * kMs}};
  const std::vector<Outcome> outcomes = {{"t1", "p1", true, 5 * kMs}, {"t1", "p2", false, 7 * kMs}};
  const auto findings = check_atomic_commit(votes, outcomes, kTxns);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "atomic-commit.agreement");
  CHECK(findings[0].at_ns == 7 * kMs);
  CHECK(findings[0].involved == std::vector<std::string>{"p1", "p2"});
  CHECK(findings[0].message ==
        "txn t1 decided both ways: p1 decided commit at 5ms, p2 decided abort at 7ms");
}

TEST_CASE("atomic commit fires on a commit despite a no vote or a missing vote") {
  const std::vector<Vote> votes = {{"t1", "p1", false, 1 * kMs}, {"t1", "p2", true, 9 * kMs}};
  const std::vector<Outcome> outcomes = {{"t1", "coord", true, 3 * kMs}};
  const auto findings = check_atomic_commit(votes, outcomes, kTxns);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "atomic-commit.validity");
  CHECK(findings[0].at_ns == 3 * kMs);
  CHECK(findings[0].involved == std::vector<std::string>{"coord", "p1", "p2"});
  CHECK(findings[0].message ==
        "txn t1: coord decided commit at 3ms although p1 voted no at 1ms, p2 had not voted");
}

TEST_CASE("atomic commit fires when a participant reverses its decision after a restart") {
  const std::vector<Vote> votes = {{"t1", "p1", true, 1 * kMs}, {"t1", "p2", true, 2 * kMs}};
  const std::vector<Outcome> outcomes = {{"t1", "p2", true, 4 * kMs}, {"t1", "p2", false, 8 * kMs}};
  const auto findings = check_atomic_commit(votes, outcomes, kTxns);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "atomic-commit.reversal");
  CHECK(findings[0].at_ns == 8 * kMs);
  CHECK(findings[0].message == "txn t1: p2 decided commit at 4ms, then reversed to abort at 8ms");
  CHECK_FALSE(has(findings, "atomic-commit.agreement"));
}
