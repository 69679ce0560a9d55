// Shrinking to a fault timeline: the nemesis's faults become an explicit list that fails the same
// way, and delta debugging leaves a much smaller list that still does.
#include <doctest/doctest.h>

#include "run/fault_json.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "run/timeline_shrink.hpp"

namespace faultline::run {
namespace {

Scenario lease_unfenced_nemesis() {
  return load_scenario(std::string(FAULTLINE_SOURCE_DIR) +
                       "/scenarios/locks/lease-unfenced-nemesis.json");
}

bool violates(const Scenario& s, uint64_t seed, const std::string& checker) {
  for (const Finding& v : run_scenario(s, RunOptions{.seed = seed}).violations) {
    if (v.checker == checker) return true;
  }
  return false;
}

TEST_CASE("a nemesis run's fault log, written as a timeline, fails the same way without it") {
  Scenario s = lease_unfenced_nemesis();
  REQUIRE(violates(s, 8, "fenced-mutual-exclusion"));
  TimelineShrinkResult r = shrink_to_timeline(s, 8, "fenced-mutual-exclusion", 300);
  REQUIRE(r.reproduced);
  CHECK(r.faults_before > 40);
  CHECK(r.faults_after * 4 <= r.faults_before);
  CHECK(r.duration_after_ns < r.duration_before_ns);
  CHECK(r.replays <= 300);
  // The result is a scenario of its own: no nemesis, its seed and expectation written in.
  CHECK_FALSE(r.scenario.contains("nemesis"));
  Scenario minimal = parse_scenario("minimal.json", r.scenario);
  CHECK(minimal.seed == 8);
  REQUIRE(minimal.expect);
  CHECK(minimal.expect->violation == "fenced-mutual-exclusion");
  CHECK(violates(minimal, 8, "fenced-mutual-exclusion"));
  // Deterministic: the same input shrinks to the same scenario.
  CHECK(shrink_to_timeline(s, 8, "fenced-mutual-exclusion", 300).scenario == r.scenario);
}

TEST_CASE("a seed that violates nothing is not reproduced, and nothing is written") {
  Scenario s = lease_unfenced_nemesis();
  s.variant = "fenced";
  TimelineShrinkResult r = shrink_to_timeline(s, 1, "fenced-mutual-exclusion", 50);
  CHECK_FALSE(r.reproduced);
  CHECK(r.scenario.is_null());
}

TEST_CASE("faults are written as the scenario format reads them") {
  std::vector<std::string> names = {"n1", "n2", "n3"};
  sim::Fault crash{.kind = sim::Fault::Kind::kCrash,
                   .at = sim::TrueTime::from_ns(1'500'000'000),
                   .node = 1,
                   .wipe_storage = true};
  CHECK(fault_to_json(crash, names) ==
        nlohmann::json{{"at", "1.5s"}, {"kind", "crash"}, {"node", "n2"}, {"wipe_storage", true}});
  sim::Fault split{.kind = sim::Fault::Kind::kPartition, .at = sim::TrueTime::from_ns(7)};
  split.partition = {sim::PartitionSpec::Mode::kSplit, {{0}, {1, 2}}};
  CHECK(fault_to_json(split, names) == nlohmann::json{{"at", "7ns"},
                                                      {"kind", "partition"},
                                                      {"mode", "split"},
                                                      {"groups", {{"n1"}, {"n2", "n3"}}}});
  // A partition that stacks carries its id, and the heal that ends it alone names it.
  sim::Fault stacked = split;
  stacked.partition_id = 4;
  stacked.stacks = true;
  CHECK(fault_to_json(stacked, names)["id"] == 4);
  sim::Fault heal_one{.kind = sim::Fault::Kind::kHeal, .partition_id = 4};
  CHECK(fault_to_json(heal_one, names)["partition"] == 4);
  CHECK_FALSE(fault_to_json(split, names).contains("id"));
  // A majority-minority of two nodes has an empty minority: it blocks nothing, a heal.
  split.partition = {sim::PartitionSpec::Mode::kSplit, {{}, {0, 1}}};
  CHECK(fault_to_json(split, names)["kind"] == "heal");
  sim::Fault jump{.kind = sim::Fault::Kind::kClockJump,
                  .at = sim::TrueTime::from_ns(0),
                  .node = 0,
                  .amount = sim::milliseconds(-250)};
  CHECK(fault_to_json(jump, names)["by"] == "-250ms");
  // Two sides of two names each stay two arrays (a braced list of pairs would be an object).
  std::vector<std::string> five = {"n1", "n2", "n3", "n4", "n5"};
  sim::Fault bridge{.kind = sim::Fault::Kind::kPartition, .at = sim::TrueTime::from_ns(0)};
  bridge.partition = {sim::PartitionSpec::Mode::kBridge, {{0, 1}, {3, 4}, {2}}};
  nlohmann::json written = fault_to_json(bridge, five);
  CHECK(written["groups"] == nlohmann::json::parse(R"([["n1", "n2"], ["n4", "n5"]])"));
  CHECK(written["bridge"] == "n3");
}

TEST_CASE("a triggered fault is written with its when, and read back the same") {
  std::vector<std::string> names = {"coordinator", "p1", "p2"};
  sim::Fault crash{.kind = sim::Fault::Kind::kCrash, .at = sim::TrueTime::from_ns(9), .node = 0};
  crash.when = sim::FaultTrigger{.on = sim::FaultTrigger::On::kSend,
                                 .type = "Decision",
                                 .node = 0,
                                 .peer = 2,
                                 .nth = 2,
                                 .after = sim::milliseconds(10)};
  nlohmann::json written = fault_to_json(crash, names);
  CHECK(written == nlohmann::json::parse(R"({"when": {"on": "send", "type": "Decision",
      "node": "coordinator", "peer": "p2", "nth": 2}, "after": "10ms", "kind": "crash",
      "node": "coordinator"})"));
  sim::Fault drop{.kind = sim::Fault::Kind::kDrop};
  drop.when = sim::FaultTrigger{.on = sim::FaultTrigger::On::kDeliver};
  CHECK(fault_to_json(drop, names) ==
        nlohmann::json::parse(R"({"when": {"on": "deliver"}, "kind": "drop"})"));

  nlohmann::json doc = {{"protocol", "2pc"}, {"duration", "1s"}, {"params", {{"participants", 2}}}};
  doc["faults"] = {written, fault_to_json(drop, names)};
  Scenario s = parse_scenario("t.json", doc);
  REQUIRE(s.faults.size() == 2);
  REQUIRE(s.faults[0].when);
  const sim::FaultTrigger& t = s.faults[0].when->trigger;
  CHECK(t.on == sim::FaultTrigger::On::kSend);
  CHECK(t.type == "Decision");
  CHECK(t.nth == 2);
  CHECK(t.after == sim::milliseconds(10));
  CHECK(t.label == "faults[0]");
  CHECK(s.faults[0].when->node->name == "coordinator");
  CHECK(s.faults[0].when->peer->name == "p2");
  CHECK(s.faults[1].fault.kind == sim::Fault::Kind::kDrop);
  CHECK_FALSE(s.faults[1].when->node);
}

TEST_CASE("shrinking a triggered timeline keeps the triggers it needs, and they still fire") {
  Scenario s = load_scenario(std::string(FAULTLINE_SOURCE_DIR) +
                             "/scenarios/twopc/decision-not-logged-triggered.json");
  // Faults the failure does not need, timed and triggered, for the shrinker to remove.
  nlohmann::json doc = s.document;
  doc["faults"].push_back(
      nlohmann::json::parse(R"({"at": "1ms", "kind": "clock-jump", "node": "p2", "by": "1s"})"));
  doc["faults"].push_back(nlohmann::json::parse(
      R"({"when": {"on": "deliver", "type": "Prepare", "node": "p3"}, "kind": "pause",
          "node": "p3", "for": "5ms"})"));
  Scenario noisy = parse_scenario(s.file, doc);
  REQUIRE(violates(noisy, 3, "atomic-commit"));
  TimelineShrinkResult r = shrink_to_timeline(noisy, 3, "atomic-commit", 200);
  REQUIRE(r.reproduced);
  CHECK(r.faults_after < r.faults_before);
  size_t triggered = 0;
  for (const auto& f : r.scenario["faults"]) {
    CHECK_FALSE(f.value("kind", "") == "clock-jump");
    if (f.contains("when")) ++triggered;
    CHECK(f.contains("when") != f.contains("at"));
  }
  CHECK(triggered == r.faults_after);
  Scenario minimal = parse_scenario("minimal.json", r.scenario);
  CHECK(violates(minimal, 3, "atomic-commit"));
}

}  // namespace
}  // namespace faultline::run
