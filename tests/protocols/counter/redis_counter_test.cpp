// The Redis-like counter: the correct variant (acknowledged replication, idempotency keys) holds
// under the nemesis over many seeds; each known bug is shown by its hand-timed scenario, which the
// correct variant passes, and found by the nemesis within a stated budget; bad parameters are one
// line.
#include <doctest/doctest.h>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::run {
namespace {

Scenario counter(const std::string& name, const std::vector<std::string>& settings = {}) {
  return load_scenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/counter/" + name + ".json",
                       settings);
}

const Finding* find(const RunOutcome& outcome, const std::string& checker) {
  for (const auto& v : outcome.violations) {
    if (v.checker == checker) return &v;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("redis-counter correct: linearizable, exact and live under the nemesis, seeds 1-60") {
  const Scenario scenario = counter("nemesis");
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    CAPTURE(seed);
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

TEST_CASE("redis-counter: acknowledging before replication loses increments at a failover") {
  RunOutcome outcome =
      run_scenario(counter("ack-before-replication-failover"), RunOptions{.seed = 1});
  INFO(verdict(outcome));
  const Finding* lost = find(outcome, "final-value");
  REQUIRE(lost);
  // The increments r1 acknowledged while cut off from its replica and the sentinel.
  CHECK(lost->message.find("on r2 (primary in epoch 2)") != std::string::npos);
  CHECK(lost->message.find("acknowledged increments are not counted: client") != std::string::npos);
  CHECK(lost->message.find("(acknowledged by r1 at 2") != std::string::npos);
  CHECK(find(outcome, "linearizable"));
  // The same partition, with the primary answering only once its replica has the increment.
  RunOutcome fixed = run_scenario(counter("ack-before-replication-failover", {"variant=correct"}),
                                  RunOptions{.seed = 1});
  INFO(verdict(fixed));
  CHECK(fixed.violations.empty());
}

TEST_CASE("redis-counter: a primary that crashes right after acknowledging loses what it acked") {
  RunOutcome outcome = run_scenario(counter("ack-before-replication-crash"), RunOptions{.seed = 1});
  INFO(verdict(outcome));
  const Finding* lost = find(outcome, "final-value");
  REQUIRE(lost);
  CHECK(lost->message.find("2 acknowledged increments are not counted: client1/0.5 (acknowledged "
                           "by r1 at 90ms), client2/1.5 (acknowledged by r1 at 90ms)") !=
        std::string::npos);
  RunOutcome fixed = run_scenario(counter("ack-before-replication-crash", {"variant=correct"}),
                                  RunOptions{.seed = 1});
  INFO(verdict(fixed));
  CHECK(fixed.violations.empty());
}

TEST_CASE("redis-counter: a retried INCR without an idempotency key counts twice") {
  RunOutcome outcome =
      run_scenario(counter("retry-without-idempotency-key"), RunOptions{.seed = 1});
  INFO(verdict(outcome));
  const Finding* doubled = find(outcome, "final-value");
  REQUIRE(doubled);
  CHECK(doubled->message.find("counted more than once: client1/0.3 (2 times, again by r1") !=
        std::string::npos);
  CHECK(find(outcome, "linearizable"));
  RunOutcome fixed = run_scenario(counter("retry-without-idempotency-key", {"variant=correct"}),
                                  RunOptions{.seed = 1});
  INFO(verdict(fixed));
  CHECK(fixed.violations.empty());
}

TEST_CASE("redis-counter: the nemesis finds each known bug within its budget") {
  for (const char* name :
       {"ack-before-replication-nemesis", "retry-without-idempotency-key-nemesis"}) {
    CAPTURE(name);
    CHECK(first_seed_finding(counter(name), "final-value", 1, 10) != 0);
    CHECK(first_seed_finding(counter(name), "linearizable", 1, 10) != 0);
  }
}

TEST_CASE("redis-counter: bad parameters are one-line errors") {
  const nlohmann::json document = {{"protocol", "redis-counter"}, {"duration", "1s"}};
  CHECK(scenario_error(document, {"params.read_percent=101"}) ==
        "bad.json: params.read_percent: expected an integer from 0 to 100, got 101");
  CHECK(scenario_error(document, {"params.failover_after=10ms"}) ==
        "bad.json: params.failover_after: expected a duration above ping_interval, or every ping "
        "gap is a failover, got \"10ms\"");
  CHECK(scenario_error(document).empty());
}

}  // namespace faultline::run
