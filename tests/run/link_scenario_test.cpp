// Per-link network settings in scenario files (docs/scenarios.md `links`, and a `network` fault's
// `from`/`to`): names resolved to the world's nodes, applied to those links only, written back as
// a timeline that loads again, and deterministic.
#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "run/fault_json.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "sim/world.hpp"

namespace faultline::run {
namespace {

// A lease-lock run: two clients, a lock server and a storage, client1 first.
const char* kScenario = R"({
  "protocol": "lease-lock",
  "variant": "unfenced",
  "params": {"clients": 2, "ttl": "10s", "compute": "100ms", "stagger": "20ms",
             "retry_interval": "2s"},
  "network": {"latency": {"shape": "uniform", "min": "1ms", "max": "5ms"},
              "links": [{"from": ["client1"], "to": ["storage"], "both_ways": true,
                         "latency": {"shape": "constant", "min": "200ms"}},
                        {"from": ["client2"], "to": ["lock"], "loss": 0.25}]},
  "duration": "20s",
  "faults": [{"at": "1s", "kind": "network", "from": ["client2"], "to": ["storage"],
              "set": {"duplicate": 1}, "for": "2s"}],
  "checkers": ["fenced-mutual-exclusion"]
})";

Scenario scenario() {
  return parse_scenario("links.json", nlohmann::json::parse(kScenario));
}

}  // namespace

TEST_CASE("a scenario's links apply to the links they name, the rest keep the world's") {
  Scenario s = scenario();
  REQUIRE(s.network.links.size() == 2);
  CHECK(s.network.links[0].both_ways);
  CHECK_FALSE(s.network.links[0].loss.has_value());
  CHECK(s.network.links[1].loss == sim::Probability::from_double(0.25));
  RunOptions options;
  bool inspected = false;
  options.inspect_world = [&](sim::World& world) {
    inspected = true;
    sim::NodeId c1 = *world.find_node("client1"), c2 = *world.find_node("client2");
    sim::NodeId storage = *world.find_node("storage"), lock = *world.find_node("lock");
    CHECK(world.link(c1, storage).latency.min == sim::milliseconds(200));
    CHECK(world.link(storage, c1).latency.min == sim::milliseconds(200));
    CHECK(world.link(c1, lock).latency.min == sim::milliseconds(1));
    CHECK(world.link(c2, lock).loss == sim::Probability::from_double(0.25));
    CHECK(world.link(lock, c2).loss.never());
    CHECK(world.link(c2, lock).latency.shape == sim::LatencyModel::Shape::kUniform);
  };
  std::ostringstream trace;
  options.trace_out = &trace;
  RunOutcome outcome = run_scenario(s, options);
  CHECK(inspected);
  // The config record names every link an entry names, with its settings.
  std::string first = trace.str().substr(0, trace.str().find('\n'));
  nlohmann::json config = nlohmann::json::parse(first);
  const nlohmann::json& links = config["data"]["network"]["links"];
  REQUIRE(links.size() == 3);  // in node order: lock, storage, client1, client2
  CHECK(links[0]["from"] == "storage");
  CHECK(links[0]["to"] == "client1");
  CHECK(links[0]["latency"]["min"] == 200'000'000);
  CHECK(links[1]["from"] == "client1");
  CHECK(links[1]["to"] == "storage");
  CHECK(links[1]["latency"]["min"] == 200'000'000);
  CHECK(links[2]["from"] == "client2");
  CHECK(links[2]["to"] == "lock");
  CHECK(links[2]["loss"] == 0.25);
  // The fault changed client2 -> storage, and its undo changed it back.
  REQUIRE(outcome.faults.size() == 2);
  CHECK(outcome.faults[0].kind == sim::Fault::Kind::kNetwork);
  CHECK(outcome.faults[0].network.links.size() == 3);
  CHECK(outcome.faults[1].network.links.size() == 2);
  CHECK(trace.str().find(R"("changed":[{"from":"client2","to":"storage"}])") != std::string::npos);
  // Same seed, same trace.
  std::ostringstream again;
  options.trace_out = &again;
  CHECK(run_scenario(s, options).trace_hash == outcome.trace_hash);
}

TEST_CASE("a network fault on links is written back as a timeline that loads again") {
  Scenario s = scenario();
  RunOutcome outcome = run_scenario(s, RunOptions{});
  REQUIRE(outcome.faults.size() == 2);
  nlohmann::json fault = fault_to_json(outcome.faults[0], outcome.node_names);
  const nlohmann::json& links = fault["set"]["links"];
  REQUIRE(links.size() == 3);
  CHECK(links[2] == nlohmann::json::parse(R"({"from": ["client2"], "to": ["storage"],
                                              "duplicate": 1.0})"));
  // Replayed as the whole timeline, the faults are the same.
  nlohmann::json document = nlohmann::json::parse(kScenario);
  document["faults"] = nlohmann::json::array();
  for (const sim::Fault& f : outcome.faults)
    document["faults"].push_back(fault_to_json(f, outcome.node_names));
  RunOutcome replayed = run_scenario(parse_scenario("links.json", document), RunOptions{});
  REQUIRE(replayed.faults.size() == 2);
  CHECK(replayed.faults[0].network == outcome.faults[0].network);
  CHECK(replayed.faults[1].network == outcome.faults[1].network);
}

TEST_CASE("a nemesis's stop restores the scenario's links after a link fault without `for`") {
  nlohmann::json document = nlohmann::json::parse(kScenario);
  document["faults"] = nlohmann::json::parse(R"([{"at": "100ms", "kind": "network",
      "from": ["client1"], "to": ["lock"], "set": {"latency": {"shape": "constant", "min": "50ms"}}}])");
  document["nemesis"] = nlohmann::json::parse(
      R"({"kinds": ["pause"], "targets": ["client2"], "start": "200ms", "stop": "2s"})");
  Scenario s = parse_scenario("links.json", document);
  const sim::TrueTime stop = s.nemesis->options.stop;
  std::optional<std::vector<std::string>> before, at_stop;
  std::optional<sim::LatencyModel::Shape> slowed, restored;
  RunOptions options;
  options.inspect_world = [&](sim::World& world) {
    const sim::NodeId c1 = *world.find_node("client1"), lock = *world.find_node("lock");
    world.add_invariant("links at stop", [&, c1, lock] {
      if (!before && world.now() >= sim::TrueTime{} + sim::milliseconds(150)) {
        before = world.faults_in_force();
        slowed = world.link(c1, lock).latency.shape;
      }
      if (world.now() == stop || (!at_stop && world.now() > stop)) {
        at_stop = world.faults_in_force();
        restored = world.link(c1, lock).latency.shape;
      }
      return std::optional<std::string>();
    });
  };
  run_scenario(s, options);
  REQUIRE(before.has_value());
  REQUIRE(at_stop.has_value());
  CHECK(std::find(before->begin(), before->end(), "the network differs from its configuration") !=
        before->end());
  CHECK(slowed == sim::LatencyModel::Shape::kConstant);
  CHECK(at_stop->empty());
  CHECK(restored == sim::LatencyModel::Shape::kUniform);
}

}  // namespace faultline::run
