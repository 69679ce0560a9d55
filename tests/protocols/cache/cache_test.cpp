// The cache family: cache-aside with leases and write-through keep their promises under the
// nemesis over many seeds; each lesson's hand-timed scenario shows its violation on every seed
// and its correct twin passes; the nemesis finds each known bug within a stated budget; bad
// parameters are one line.
#include <doctest/doctest.h>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::run {
namespace {

Scenario cache(const std::string& name, const std::vector<std::string>& settings = {}) {
  return load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/cache/" + name + ".json",
                       settings);
}

void check_passes(const Scenario& scenario, uint64_t seeds) {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

void check_fails(const Scenario& scenario, const std::string& checker, uint64_t seeds) {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    INFO(verdict(outcome));
    CHECK(breaks(outcome, checker));
  }
}

}  // namespace

TEST_CASE("cache correct: linearizable, within the staleness bound, no write lost, seeds 1-300") {
  check_passes(cache("nemesis"), 300);
}

TEST_CASE("cache correct: the same under a swarm nemesis with duplication, seeds 1-100") {
  check_passes(cache("swarm-nemesis"), 100);
}

TEST_CASE("cache write-through: the same promises under both nemeses, seeds 1-100") {
  check_passes(cache("nemesis", {"variant=write-through"}), 100);
  check_passes(cache("swarm-nemesis", {"variant=write-through"}), 100);
}

TEST_CASE("cache: each lesson's triggered scenario fails on every seed, its twin passes") {
  struct Lesson {
    const char* scenario;
    const char* checker;
    const char* twin;
  };
  for (const Lesson& lesson :
       {Lesson{"unversioned-fill", "linearizable", "variant=correct"},
        Lesson{"lost-invalidation", "linearizable", "variant=correct"},
        Lesson{"late-fill", "bounded-staleness", "variant=correct"},
        Lesson{"write-back-crash", "no-lost-write", "variant=write-through"}}) {
    CAPTURE(lesson.scenario);
    check_fails(cache(lesson.scenario), lesson.checker, 20);
    check_passes(cache(lesson.scenario, {lesson.twin}), 20);
  }
}

TEST_CASE("cache: the nemesis finds each known bug within its budget") {
  // About half the seeds of each show it (1,000-seed runs); first at seeds 2, 5 and 2.
  CHECK(first_seed_finding(cache("unversioned-fill-nemesis"), "linearizable", 1, 10) != 0);
  CHECK(first_seed_finding(cache("no-invalidation-retry-nemesis"), "linearizable", 1, 10) != 0);
  CHECK(first_seed_finding(cache("write-back-nemesis"), "no-lost-write", 1, 10) != 0);
}

TEST_CASE("cache: a nemesis aimed at the store-cache link finds ttl-from-fill within 30 seeds") {
  // A late fill (cache1 paused while holding it), a write landing meanwhile, and a partition
  // between the store and cache1 lasting until the store stops waiting: 122 of 1,000 seeds show
  // it, the first at seed 5. The correct variant keeps every promise under the same faults.
  CHECK(first_seed_finding(cache("ttl-from-fill-nemesis"), "bounded-staleness", 1, 30) != 0);
  check_passes(cache("ttl-from-fill-nemesis",
                     {"variant=correct",
                      R"(checkers=["linearizable","bounded-staleness","no-lost-write"])"}),
               100);
}

TEST_CASE("cache: bad parameters are one-line errors") {
  const nlohmann::json document = {{"protocol", "cache"}, {"duration", "1s"}};
  CHECK(scenario_error(document, {"params.caches=0"}) ==
        "bad.json: params.caches: expected an integer from 1 to 26, got 0");
  CHECK(scenario_error(document, {"params.ttl=0s"}).find("bad.json: params.ttl: expected") == 0);
  CHECK(scenario_error(document, {"params.bogus=1"}).find("bad.json: params.bogus") == 0);
  CHECK(scenario_error(document).empty());
}

}  // namespace faultline::run
