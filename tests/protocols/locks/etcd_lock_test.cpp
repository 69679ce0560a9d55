// etcd's lock (protocols/locks/etcd_lock*): the fenced variant stays safe and live under the full
// seeded nemesis over a seed range; the unfenced one is found by the random nemesis within a
// stated seed budget, not only by its hand-timed catalog scenario; its parameters are read
// strictly. A failure prints the seed: `faultline run <scenario> --seed N`.
#include <doctest/doctest.h>

#include <string>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::protocols::locks {
namespace {

// scenarios/locks/etcd-fenced-nemesis.json: everything the kernel injects, on the Raft servers and
// the lock clients (the storage stays up: its highest accepted token is in memory, and fencing is
// only as durable as that).
run::Scenario scenario_of(const std::string& variant,
                          const std::vector<std::string>& overrides = {}) {
  std::vector<std::string> settings = {"variant=" + variant};
  settings.insert(settings.end(), overrides.begin(), overrides.end());
  return run::load_scenario(
      std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/locks/etcd-fenced-nemesis.json", settings);
}

std::string error_of(const std::string& setting) {
  nlohmann::json document = {{"protocol", "etcd-lock"}, {"duration", "1s"}};
  return run::scenario_error(document, {setting});
}

}  // namespace

TEST_CASE(
    "etcd-lock fenced: fenced mutual exclusion, liveness and Raft's safety under the full "
    "nemesis, seeds 1-20") {
  run::Scenario scenario = scenario_of("fenced");
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    INFO("seed " << seed << ": " << verdict(outcome));
    REQUIRE(outcome.violations.empty());
    CHECK(outcome.figures["acquisitions"].get<int64_t>() >= 60);
  }
}

// Seed 878 once left three Raft servers without a leader for good: the leader refused the vote
// of a stale candidate with a higher term, stepped down, and had no election timer left.
TEST_CASE("etcd-lock fenced: a leader deposed by a refused vote stands again (seed 878)") {
  run::RunOutcome outcome = run::run_scenario(scenario_of("fenced"), run::RunOptions{.seed = 878});
  INFO(verdict(outcome));
  CHECK(outcome.violations.empty());
}

TEST_CASE("etcd-lock unfenced: the nemesis finds a stale write within 10 seeds") {
  // Holders work 500ms of a 1s lease, and client pauses (up to 3s) strike every 200ms or so.
  run::Scenario scenario =
      scenario_of("unfenced", {"params.compute=500ms", "nemesis.kinds=[\"pause\"]",
                               "nemesis.targets=[\"client1\", \"client2\", \"client3\"]",
                               "nemesis.interval=200ms", "checkers=[\"fenced-mutual-exclusion\"]"});
  const uint64_t found = run::first_seed_finding(scenario, "fenced-mutual-exclusion", 1, 10);
  MESSAGE("first seed with a stale write: " << found);
  CHECK(found != 0);
}

TEST_CASE(
    "etcd-lease-pause: the holders overlap in true time with or without fencing; only the "
    "fenced storage rejects the stale write") {
  const std::string dir = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/locks/";
  for (const char* file : {"etcd-lease-pause.json", "etcd-fenced-lease-pause.json"}) {
    CAPTURE(file);
    run::Scenario scenario = run::load_scenario(dir + file, {"checkers=[\"mutual-exclusion\"]"});
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{});
    REQUIRE(outcome.violations.size() == 1);
    CHECK(outcome.violations[0].checker == "mutual-exclusion");
    const bool fenced = std::string(file).find("fenced") != std::string::npos;
    CHECK(outcome.figures["writes_rejected"].get<int64_t>() == (fenced ? 1 : 0));
  }
}

// client1 holds the lock for 3s on a 1s lease, keeping it alive, while the leader s1 crashes and
// another server takes over: the new leader restarts the lease's timer instead of expiring it,
// so client2 never holds the lock at the same time, even without looking at tokens.
const char* kLeaderCrash = R"({
  "protocol": "etcd-lock",
  "params": {"servers": 3, "clients": 2, "ttl": "1s", "compute": ["3s", "100ms"],
             "stagger": "200ms"},
  "network": {"latency": {"shape": "uniform", "min": "1ms", "max": "5ms"}},
  "duration": "10s",
  "faults": [{"at": "1s", "kind": "crash", "node": "s1", "restart_after": "2s"}],
  "checkers": ["mutual-exclusion", "election-safety", "state-machine-safety"]
})";

TEST_CASE("etcd-lock: a lease kept alive survives a leader crash, seeds 1-10") {
  run::Scenario scenario =
      run::parse_scenario("leader-crash.json", nlohmann::json::parse(kLeaderCrash));
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    INFO("seed " << seed << ": " << verdict(outcome));
    CHECK(outcome.violations.empty());
    CHECK(outcome.figures["acquisitions"].get<int64_t>() == 2);
  }
}

TEST_CASE("etcd-lock parameters: bad values are one-line errors naming the field") {
  CHECK(error_of("params.ttl=0s").find("bad.json: params.ttl: expected") == 0);
  CHECK(error_of("params.keepalive_interval=2s").find("below ttl") != std::string::npos);
  CHECK(error_of("params.servers=0").find("bad.json: params.servers:") == 0);
  CHECK(error_of("params.clients=0").find("bad.json: params.clients:") == 0);
  CHECK(error_of("params.poll_interval=0s").find("params.poll_interval") != std::string::npos);
  CHECK(error_of("params.compute=[\"1s\"]").find("one duration per client") != std::string::npos);
  CHECK(error_of("variant=leased").find("bad.json: variant:") == 0);
  CHECK(error_of("params.clients=3") == "");
}

}  // namespace faultline::protocols::locks
