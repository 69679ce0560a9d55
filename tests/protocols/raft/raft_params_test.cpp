// Raft's scenario parameters are read strictly: impossible clusters and timings are one-line
// errors naming the field.
#include <doctest/doctest.h>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::protocols::raft {
namespace {

std::string error_of(const std::string& setting) {
  nlohmann::json document = {
      {"protocol", "raft"}, {"duration", "100ms"}, {"params", nlohmann::json::object()}};
  return run::scenario_error(document, {setting});
}

}  // namespace

TEST_CASE("raft parameters out of range are one-line errors naming the field") {
  CHECK(error_of("params.clients=1") == "");
  CHECK(error_of("params.servers=0") ==
        "bad.json: params.servers: expected an integer from 1 to 15, got 0");
  CHECK(error_of("params.servers=1000000000") ==
        "bad.json: params.servers: expected an integer from 1 to 15, got 1000000000");
  CHECK(error_of("params.election_timeout_max=100ms")
            .find("bad.json: params.election_timeout_max: expected a duration above") == 0);
  CHECK(error_of("params.heartbeat=1s").find("bad.json: params.heartbeat: expected") == 0);
  CHECK(error_of("params.bootstrap_leader=s9").find("bad.json: params.bootstrap_leader") == 0);
  CHECK(error_of("params.read_percent=101").find("bad.json: params.read_percent") == 0);
  CHECK(error_of("params.quorum=3").find("bad.json: params.quorum: expected one of the fields") ==
        0);
  CHECK(error_of("params.reads=psychic") ==
        "bad.json: params.reads: expected one of \"read-index\", \"lease\", got \"psychic\"");
  CHECK(error_of("params.lease_drift_ppm=600000").find("bad.json: params.lease_drift_ppm") == 0);
  CHECK(error_of("params.prevote=3").find("bad.json: params.prevote") == 0);
  CHECK(error_of("checkers=[\"leader-changes\"]")
            .find("bad.json: params.max_leader_changes: expected an integer bound") == 0);
  CHECK(error_of("params.max_leader_changes=-2").find("bad.json: params.max_leader_changes") == 0);
  CHECK(error_of("params.members=[\"s1\",\"s9\"]") ==
        "bad.json: params.members[1]: expected a server name, s1..s5, got \"s9\"");
  CHECK(error_of("params.members=[]").find("bad.json: params.members: expected a non-empty") == 0);
  CHECK(error_of("params.membership=[{\"at\":\"1s\"}]") ==
        "bad.json: params.membership[0].add: expected exactly one of add or remove, got nothing");
  CHECK(error_of("params.membership=[{\"at\":\"1s\",\"add\":\"s7\"}]")
            .find("bad.json: params.membership[0].add: expected a server name") == 0);
  CHECK(error_of("params.membership=[{\"add\":\"s2\"}]")
            .find("bad.json: params.membership[0].at: expected a duration") == 0);
  CHECK(error_of("variant=quantum")
            .find("bad.json: variant: expected a variant of raft "
                  "(correct, commit-old-term, volatile-vote, "
                  "local-reads, lease-ignores-drift, lease-from-acks, "
                  "membership-change-before-noop)") == 0);
}

TEST_CASE("membership_repeat replays the steps; a period shorter than their span is an error") {
  nlohmann::json document = {
      {"protocol", "raft"},
      {"duration", "1s"},
      {"params",
       {{"clients", 0},
        {"members", {"s1", "s2", "s3", "s4"}},
        {"membership", nlohmann::json::parse(R"([{"at": "100ms", "add": "s5"},
                                                 {"at": "150ms", "remove": "s5"}])")}}}};
  auto error = [&](const std::string& repeat) {
    return run::scenario_error(document, {"params.membership_repeat=" + repeat});
  };
  CHECK(error(R"({"every": "50ms", "until": "1s"})") ==
        "bad.json: params.membership_repeat.every: expected a period longer than the steps' span "
        "(50ms), got \"50ms\"");
  CHECK(error(R"({"every": "60ms"})").find("bad.json: params.membership_repeat.until") == 0);
  CHECK(error(R"({"every": "60ms", "until": "100000s"})") ==
        "bad.json: params.membership_repeat.until: expected at most 100000 repeated steps, got "
        "\"100000s\"");
  CHECK(error(R"({"every": "60ms", "until": "1s", "count": 3})")
            .find("bad.json: params.membership_repeat.count") == 0);

  // Repeated every 100ms until 900ms: 2 written steps + 7 more cycles of 2 = 16 changes, each
  // committed with all five servers up.
  run::apply_override(document, "bad.json",
                      R"(params.membership_repeat={"every": "100ms", "until": "900ms"})");
  run::RunOutcome outcome =
      run::run_scenario(run::parse_scenario("bad.json", document), run::RunOptions{});
  CHECK(outcome.violations.empty());
  CHECK(outcome.figures["membership_changes_done"] == 16);
}

}  // namespace faultline::protocols::raft
