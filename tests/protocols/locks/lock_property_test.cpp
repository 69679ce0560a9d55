// Property tests of the lock family (Redlock, the ZooKeeper recipe, the Redis snippets): the
// correct variants stay safe under a seeded nemesis within their assumptions over a seed range;
// each bug variant is found by the random nemesis within a stated seed budget, not only by its
// hand-timed catalog scenario. A failure prints the seed: `faultline run <scenario> --seed N`.
#include <doctest/doctest.h>

#include <string>

#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/run_verdict.hpp"

namespace faultline::protocols::locks {
namespace {

// Redlock within its assumptions: servers crash (and persist), partition, step and drift their
// clocks well inside the 1% allowance; clients are never paused (a paused client is outside them).
const char* kRedlockNemesis = R"({
  "protocol": "redlock",
  "params": {"clients": 3, "ttl": "2s", "compute": "50ms", "rounds": 5, "stagger": "10ms",
             "liveness_bound": "10s"},
  "network": {"latency": {"shape": "exponential", "min": "1ms", "mean": "3ms", "max": "40ms"},
              "loss": 0.01, "duplicate": 0.01},
  "duration": "20s",
  "nemesis": {"kinds": ["crash", "partition", "clock-jump", "clock-drift", "loss-burst"],
              "targets": ["redis1", "redis2", "redis3", "redis4", "redis5"],
              "start": "100ms", "stop": "8s", "interval": "300ms", "fault_min": "100ms",
              "fault_max": "3s", "max_clock_jump": "10s", "max_drift_ppm": 2000},
  "checkers": ["mutual-exclusion", "liveness"]
})";

// The ZooKeeper recipe under everything the kernel injects, clients and server alike. A session
// is a TCP connection (ZooKeeper guarantees FIFO client order): links are FIFO, not duplicating.
const char* kZkNemesis = R"({
  "protocol": "zk-lock",
  "params": {"clients": 3, "compute": "50ms", "rounds": 5, "stagger": "10ms",
             "session_timeout": "1s", "ping_interval": "200ms", "liveness_bound": "10s"},
  "network": {"latency": {"shape": "exponential", "min": "1ms", "mean": "3ms", "max": "40ms"},
              "loss": 0.01, "fifo": true},
  "duration": "25s",
  "nemesis": {"kinds": ["pause", "crash", "partition", "clock-jump", "clock-drift", "loss-burst"],
              "start": "100ms", "stop": "10s", "interval": "500ms", "fault_min": "100ms",
              "fault_max": "3s", "max_clock_jump": "10s"},
  "checkers": ["fenced-mutual-exclusion", "liveness"]
})";

run::Scenario scenario_of(const char* text, const std::string& variant,
                          const std::vector<std::string>& overrides = {}) {
  nlohmann::json document = nlohmann::json::parse(text);
  document["variant"] = variant;
  for (const auto& s : overrides) run::apply_override(document, "property.json", s);
  return run::parse_scenario("property.json", document);
}

void check_safe(const run::Scenario& scenario, uint64_t first, uint64_t last) {
  for (uint64_t seed = first; seed <= last; ++seed) {
    run::RunOutcome outcome = run::run_scenario(scenario, run::RunOptions{.seed = seed});
    INFO("seed " << seed << ": " << verdict(outcome));
    REQUIRE(outcome.violations.empty());
  }
}

}  // namespace

TEST_CASE("redlock monotonic: mutual exclusion and liveness under server faults, seeds 1-8") {
  check_safe(scenario_of(kRedlockNemesis, "monotonic"), 1, 8);
}

TEST_CASE(
    "zk-lock recipe: fenced mutual exclusion and liveness under the full nemesis, seeds 1-10") {
  check_safe(scenario_of(kZkNemesis, "recipe"), 1, 10);
}

// Busier: holders work 1s of a 5s TTL while a fault strikes every 100ms or so.
const std::vector<std::string> kRedlockBusy = {"params.compute=1s", "params.ttl=5s",
                                               "nemesis.interval=100ms", "nemesis.fault_max=300ms",
                                               "checkers=[\"mutual-exclusion\"]"};

std::vector<std::string> busy_with(const std::string& kinds) {
  std::vector<std::string> out = kRedlockBusy;
  out.push_back("nemesis.kinds=" + kinds);
  return out;
}

TEST_CASE("redlock wall-clock: the nemesis finds two majorities at once within 5 seeds") {
  run::Scenario scenario =
      scenario_of(kRedlockNemesis, "wall-clock", busy_with("[\"clock-jump\"]"));
  CHECK(run::first_seed_finding(scenario, "mutual-exclusion", 1, 5) != 0);
}

TEST_CASE("redlock unpersisted: the nemesis finds two majorities at once within 5 seeds") {
  run::Scenario scenario = scenario_of(kRedlockNemesis, "unpersisted", busy_with("[\"crash\"]"));
  CHECK(run::first_seed_finding(scenario, "mutual-exclusion", 1, 5) != 0);
}

TEST_CASE("redlock monotonic: the same busy crashes and clock jumps stay safe, seeds 1-10") {
  check_safe(scenario_of(kRedlockNemesis, "monotonic", busy_with("[\"crash\", \"clock-jump\"]")), 1,
             10);
}

TEST_CASE("zk-lock unfenced: the nemesis finds a stale write within 10 seeds") {
  // Holders work 500ms, and pauses (up to 3s, past the 1s session) strike every 200ms or so.
  run::Scenario scenario =
      scenario_of(kZkNemesis, "unfenced",
                  {"params.compute=500ms", "nemesis.kinds=[\"pause\"]", "nemesis.interval=200ms",
                   "checkers=[\"fenced-mutual-exclusion\"]"});
  CHECK(run::first_seed_finding(scenario, "fenced-mutual-exclusion", 1, 10) != 0);
}

TEST_CASE("zk-lock naive-retry: the nemesis finds a lock nobody can take within 30 seeds") {
  run::Scenario scenario =
      scenario_of(kZkNemesis, "naive-retry",
                  {"nemesis.kinds=[\"loss-burst\", \"partition\"]", "checkers=[\"liveness\"]"});
  CHECK(run::first_seed_finding(scenario, "liveness", 1, 30) != 0);
}

// The Redis snippets break mutual exclusion with no clock or pause fault at all: crashes,
// partitions and loss bursts, and one slow client whose work outlives its 2s lease.
TEST_CASE("lease-lock set-without-nx, unconditional-release: found by the nemesis within 5 seeds") {
  for (const char* variant : {"set-without-nx", "unconditional-release"}) {
    CAPTURE(variant);
    run::Scenario scenario = run::load_scenario(
        std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/locks/lease-unfenced-nemesis.json",
        {std::string("variant=") + variant, "checkers=[\"mutual-exclusion\"]",
         "params.check_validity=true", "params.rounds=5",
         "params.compute=[\"500ms\", \"2500ms\", \"500ms\", \"500ms\", \"500ms\"]",
         "nemesis.kinds=[\"crash\", \"partition\", \"loss-burst\"]", "duration=20s",
         "nemesis.stop=10s"});
    CHECK(run::first_seed_finding(scenario, "mutual-exclusion", 1, 5) != 0);
  }
}

}  // namespace faultline::protocols::locks

namespace faultline::protocols::locks {

TEST_CASE("lease-lock: a server restarted without its counter grants token 1 twice, and it shows") {
  const std::string file =
      std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/locks/lease-restart-unpersisted.json";
  run::RunOutcome outcome = run::run_scenario(run::load_scenario(file), run::RunOptions{});
  REQUIRE(outcome.violations.size() == 1);
  const auto& v = outcome.violations[0];
  CHECK(v.checker == "fenced-mutual-exclusion");
  CHECK(v.message.find("accepted token 1 from client1") != std::string::npos);
  CHECK(v.message.find("the same token from client2") != std::string::npos);
  CHECK(v.message.find("granted one token to two holders") != std::string::npos);
  // A server that syncs its leases and counter still knows client1's lease after the restart:
  // client2 waits for it and gets token 2.
  run::RunOutcome persisted =
      run::run_scenario(run::load_scenario(file, {"params.persist=true"}), run::RunOptions{});
  INFO(verdict(persisted));
  CHECK(persisted.violations.empty());
  CHECK(persisted.figures["writes_accepted"].get<int64_t>() == 2);
}

}  // namespace faultline::protocols::locks
