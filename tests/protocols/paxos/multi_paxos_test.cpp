// Multi-Paxos and its kv service: the correct variant under the seeded nemesis of
// scenarios/paxos/multi-paxos-nemesis.json decides no slot twice and leaves a linearizable
// history, seed after seed, and a leader serves a write within the bound after the heal; each
// known-bug variant is found by the same random nemesis within a stated seed budget and by its
// hand-timed scenario, which the correct variant survives; bad parameters are one-line errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::protocols::paxos {
namespace {

std::string scenario_path(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/paxos/" + name;
}

void check_correct_seeds(uint64_t first, uint64_t last) {
  run::Scenario scenario = run::load_scenario(scenario_path("multi-paxos-nemesis.json"));
  for (uint64_t seed = first; seed <= last; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    INFO("faultline run scenarios/paxos/multi-paxos-nemesis.json --seed " << seed);
    INFO(verdict(outcome));
    REQUIRE(outcome.violations.empty());
    CHECK(outcome.figures["operations_ok"].get<int64_t>() > 50);
  }
}

std::string error_of(const std::string& setting) {
  nlohmann::json document = {
      {"protocol", "multi-paxos"}, {"duration", "100ms"}, {"params", nlohmann::json::object()}};
  return run::scenario_error(document, {setting});
}

}  // namespace

TEST_CASE("correct multi-paxos under the nemesis, seeds 1-15: agreement, linearizable, live") {
  check_correct_seeds(1, 15);
}

TEST_CASE("correct multi-paxos under the nemesis, seeds 16-30: agreement, linearizable, live") {
  check_correct_seeds(16, 30);
}

TEST_CASE(
    "a crash-and-partition nemesis finds multi-paxos acceptors that forget their promises within "
    "10 seeds") {
  // Forgetting matters only when a restarted acceptor and a lagging replica form the next
  // majority: three servers and a nemesis that only crashes and partitions, every 100ms.
  run::Scenario scenario =
      run::load_scenario(scenario_path("multi-paxos-nemesis.json"),
                         {"variant=forget-promise-on-restart", "params.servers=3",
                          "nemesis.targets=[\"s1\",\"s2\",\"s3\"]",
                          "nemesis.kinds=[\"crash\",\"partition\"]", "nemesis.interval=100ms"});
  uint64_t seed = first_seed_finding(scenario, "agreement", 1, 10);
  MESSAGE("forget-promise-on-restart found at seed " << seed);
  CHECK(seed != 0);
}

TEST_CASE("correct multi-paxos under the same crash-and-partition nemesis, seeds 1-10") {
  run::Scenario scenario =
      run::load_scenario(scenario_path("multi-paxos-nemesis.json"),
                         {"params.servers=3", "nemesis.targets=[\"s1\",\"s2\",\"s3\"]",
                          "nemesis.kinds=[\"crash\",\"partition\"]", "nemesis.interval=100ms"});
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    INFO("seed " << seed);
    INFO(verdict(outcome));
    REQUIRE(outcome.violations.empty());
  }
}

TEST_CASE("the nemesis finds a new multi-paxos leader trusting its own log within 10 seeds") {
  run::Scenario scenario =
      run::load_scenario(scenario_path("multi-paxos-nemesis.json"), {"variant=trust-own-log"});
  uint64_t seed = first_seed_finding(scenario, "agreement", 1, 10);
  MESSAGE("trust-own-log found at seed " << seed);
  CHECK(seed != 0);
}

TEST_CASE("the nemesis finds a multi-paxos leader serving stale local reads within 20 seeds") {
  run::Scenario scenario =
      run::load_scenario(scenario_path("multi-paxos-nemesis.json"), {"variant=leader-local-reads"});
  uint64_t seed = first_seed_finding(scenario, "linearizable", 1, 20);
  MESSAGE("leader-local-reads found at seed " << seed);
  CHECK(seed != 0);
}

TEST_CASE("each multi-paxos bug's hand-timed scenario shows it; the correct variant holds") {
  for (const char* file : {"multi-paxos-forgetful-acceptor.json", "multi-paxos-trust-own-log.json",
                           "multi-paxos-stale-read.json"}) {
    CAPTURE(file);
    run::RunOutcome buggy =
        run::run_scenario(run::load_scenario(scenario_path(file)), run::RunOptions{});
    INFO(verdict(buggy));
    CHECK(buggy.expectation_met);
    CHECK(!buggy.violations.empty());
    run::RunOutcome correct = run::run_scenario(
        run::load_scenario(scenario_path(file), {"variant=correct"}), run::RunOptions{});
    INFO(verdict(correct));
    CHECK(correct.violations.empty());
  }
}

TEST_CASE("a multi-paxos run under the nemesis is byte-identical for one seed, not for another") {
  run::Scenario scenario = run::load_scenario(scenario_path("multi-paxos-nemesis.json"));
  auto hash = [&](uint64_t seed) {
    std::ostringstream trace;
    run::RunOptions options;
    options.seed = seed;
    options.trace_out = &trace;
    return run::run_scenario(scenario, options).trace_hash;
  };
  const std::string first = hash(5);
  CHECK(first.size() == 16);
  CHECK(hash(5) == first);
  CHECK(hash(6) != first);
}

TEST_CASE("multi-paxos parameters out of range are one-line errors naming the field") {
  CHECK(error_of("params.clients=1") == "");
  CHECK(error_of("params.servers=0") ==
        "bad.json: params.servers: expected an integer from 1 to 15, got 0");
  CHECK(error_of("params.clients=-1") ==
        "bad.json: params.clients: expected an integer from 0 to 100, got -1");
  CHECK(error_of("params.takeover_timeout_max=100ms")
            .find("bad.json: params.takeover_timeout_max: expected a duration above") == 0);
  CHECK(error_of("params.heartbeat=1s").find("bad.json: params.heartbeat: expected") == 0);
  CHECK(error_of("params.bootstrap_leader=s9").find("bad.json: params.bootstrap_leader") == 0);
  CHECK(error_of("params.read_percent=101").find("bad.json: params.read_percent") == 0);
  CHECK(error_of("params.liveness_bound=0s").find("bad.json: params.liveness_bound") == 0);
  CHECK(error_of("params.quorum=3").find("bad.json: params.quorum: expected one of the fields") ==
        0);
  CHECK(error_of("variant=sloppy")
            .find("bad.json: variant: expected a variant of multi-paxos (correct, "
                  "forget-promise-on-restart, trust-own-log, leader-local-reads)") == 0);
}

}  // namespace faultline::protocols::paxos
