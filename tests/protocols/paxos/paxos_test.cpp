// Single-decree Paxos: the correct variant keeps agreement, validity and bounded liveness over
// many seeds of the nemesis scenario; each known bug is found by the same random nemesis within
// a stated seed budget; bad parameters are one-line errors.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::run {
namespace {

std::string scenario_path(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/paxos/" + name;
}

// The first seed in [1, budget] at which `variant` of the nemesis scenario breaks `checker`.
uint64_t first_seed_breaking(const std::string& variant, const std::string& checker,
                             uint64_t budget, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> settings = {"variant=" + variant};
  settings.insert(settings.end(), extra.begin(), extra.end());
  return first_seed_finding(load_scenario(scenario_path("paxos-nemesis.json"), settings), checker,
                            1, budget);
}

const char* kBase = R"({
  "protocol": "paxos",
  "params": {"acceptors": 3, "proposers": 2},
  "duration": "1s"
})";

std::string error_of(const std::string& setting) {
  nlohmann::json document = nlohmann::json::parse(kBase);
  return scenario_error(document, {setting});
}

}  // namespace

TEST_CASE("correct paxos keeps agreement, validity and liveness under the nemesis, seeds 1-200") {
  Scenario scenario = load_scenario(scenario_path("paxos-nemesis.json"));
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    INFO("seed " << seed << " (faultline run scenarios/paxos/paxos-nemesis.json --seed " << seed
                 << "): " << verdict(outcome));
    REQUIRE(outcome.violations.empty());
  }
}

TEST_CASE("the nemesis finds a forgetful acceptor's lost promise within 100 seeds") {
  CHECK(first_seed_breaking("forget-promise-on-restart", "agreement", 100) != 0);
}

TEST_CASE("the nemesis finds a proposer ignoring the accepted value within 100 seeds") {
  CHECK(first_seed_breaking("ignore-highest-accepted", "agreement", 100) != 0);
}

// The duelling-proposers network (constant 5ms latency, rounds cut off at 12ms, retried after
// 2ms) with its fault timeline replaced by a random nemesis over the first 300ms.
static Scenario duel_under_nemesis(const std::string& variant) {
  return load_scenario(
      scenario_path("duelling-proposers.json"),
      {"variant=" + variant, "faults=[]",
       R"(nemesis={"kinds":["partition","crash","pause","clock-jump","clock-drift","loss-burst"],)"
       R"("start":"0ms","stop":"300ms","interval":"50ms","fault_min":"10ms","fault_max":"100ms"})"});
}

TEST_CASE(
    "the nemesis finds fixed-retry proposers duelling past the liveness bound within 5 seeds") {
  Scenario scenario = duel_under_nemesis("fixed-retry");
  const uint64_t seed = first_seed_finding(scenario, "liveness", 1, 5);
  MESSAGE("fixed-retry found at seed " << seed);
  CHECK(seed != 0);
}

TEST_CASE("randomized backoff chooses a value under the same nemesis, seeds 1-20") {
  Scenario scenario = duel_under_nemesis("correct");
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RunOutcome outcome = run_scenario(scenario, RunOptions{.seed = seed});
    INFO("seed " << seed << ": " << verdict(outcome));
    REQUIRE(outcome.violations.empty());
  }
}

TEST_CASE("the hand-timed scenarios pass with the correct variant under the same faults") {
  for (const char* file : {"forgetful-acceptor.json", "ignore-accepted-value.json"}) {
    CAPTURE(file);
    Scenario scenario = load_scenario(scenario_path(file), {"variant=correct"});
    RunOutcome outcome = run_scenario(scenario, RunOptions{});
    INFO(verdict(outcome));
    CHECK(outcome.violations.empty());
  }
}

TEST_CASE("the hand-timed bugs break agreement in the fewest steps: 12 proposer-acceptor hops") {
  // Two proposers each need two promises and two acceptances from three acceptors before the
  // second value is chosen: 2 x (2 prepares + 2 promises + 2 accepts) = 12 deliveries, plus the
  // forgetful acceptor's crash and restart: the 12-13 steps of a shortest counterexample with
  // three acceptors. The learner then hears of both choices. Counted in the trace, up to the
  // violation.
  for (const char* file : {"forgetful-acceptor.json", "ignore-accepted-value.json"}) {
    CAPTURE(file);
    std::ostringstream trace;
    RunOutcome outcome =
        run_scenario(load_scenario(scenario_path(file)), RunOptions{.trace_out = &trace});
    REQUIRE(breaks(outcome, "agreement"));
    int hops = 0;
    std::istringstream lines(trace.str());
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json record = nlohmann::json::parse(line);
      if (record["kind"] == "violation") break;
      if (record["kind"] != "deliver") continue;
      const std::string type = record["data"].value("type", "");
      hops += type == "Prepare" || type == "Promise" || type == "Accept";
    }
    CHECK(hops == 12);
  }
}

TEST_CASE("paxos parameters are read strictly") {
  CHECK(error_of("params.acceptors=2") == "");
  CHECK(error_of("params.acceptors=0") ==
        "bad.json: params.acceptors: expected an integer from 1 to 99, got 0");
  CHECK(error_of("params.proposers=1000000000") ==
        "bad.json: params.proposers: expected an integer from 1 to 99, got 1000000000");
  CHECK(
      error_of("params.retry_delay=0s").find("bad.json: params.retry_delay: expected a duration") ==
      0);
  CHECK(error_of("params.liveness_bound=-1s")
            .find("bad.json: params.liveness_bound: expected a duration") == 0);
  CHECK(error_of("params.quorum=5").find("bad.json: params.quorum: expected one of the fields") ==
        0);
  CHECK(error_of("variant=sloppy").find("bad.json: variant: expected a variant of paxos") == 0);
}

}  // namespace faultline::run
