// Bad scenarios get one line naming the file, the field and what was expected.
#include <doctest/doctest.h>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::run {
namespace {

const char* kBase = R"({
  "protocol": "lease-lock",
  "variant": "unfenced",
  "params": {"clients": 2},
  "duration": "1s",
  "faults": [{"at": "50ms", "kind": "pause", "node": "client1", "for": "100ms"}]
})";

// The error message of running `document` after applying `settings`, or "" if none.
std::string error_of(std::vector<std::string> settings) {
  nlohmann::json document = nlohmann::json::parse(kBase);
  return scenario_error(document, settings);
}

}  // namespace

TEST_CASE("scenario errors name the file, the field path and what was expected") {
  CHECK(error_of({}) == "");
  CHECK(error_of({"bogus=1"}) ==
        "bad.json: bogus: expected one of the fields buggify, checkers, clocks, description, "
        "duration, expect, faults, name, nemesis, network, params, protocol, search, seed, "
        "storage, "
        "variant, got an unknown field");
  CHECK(error_of({"faults.0=1"}).find("bad.json: faults") == 0);
  CHECK(error_of({"duration=-5s"}).find("bad.json: duration: expected a duration like \"150ms\"") ==
        0);
  CHECK(error_of({"duration=5"}).find("got 5") != std::string::npos);
  // The list grows with every protocol family registered, so only its head and tail are fixed.
  CHECK(error_of({"protocol=paxos9"}).find("bad.json: protocol: expected one of lease-lock") == 0);
  CHECK(error_of({"protocol=paxos9"}).find("got \"paxos9\"") != std::string::npos);
  CHECK(error_of({"variant=quantum"}) ==
        "bad.json: variant: expected a variant of lease-lock (fenced, unfenced, set-without-nx, "
        "unconditional-release), got \"quantum\"");
  CHECK(error_of({"params.clients=0"}) ==
        "bad.json: params.clients: expected an integer from 1 to 1000, got 0");
  CHECK(error_of({"params.clients=1000000000"}) ==
        "bad.json: params.clients: expected an integer from 1 to 1000, got 1000000000");
  CHECK(error_of({"params.ttl=0s"}).find("bad.json: params.ttl: expected a duration") == 0);
  CHECK(error_of({"params.colour=1"}).find("bad.json: params.colour: expected one of the fields") ==
        0);
  CHECK(error_of({"network.loss=1.5"}) ==
        "bad.json: network.loss: expected a number from 0.0 to 1.0, got 1.5");
  CHECK(error_of({"checkers=[\"linearizable\"]"})
            .find("bad.json: checkers[0]: expected a checker of lease-lock") == 0);
}

TEST_CASE("a fault naming a node that does not exist is an error naming its path") {
  nlohmann::json document = nlohmann::json::parse(kBase);
  document["faults"][0]["node"] = "client9";
  Scenario scenario = parse_scenario("bad.json", document);
  CHECK_THROWS_WITH_AS(run_scenario(scenario, RunOptions{}),
                       "bad.json: faults[0].node: expected a node of this scenario (lock, storage, "
                       "client1, client2), got \"client9\"",
                       protocols::ScenarioError);
}

TEST_CASE("bad per-link settings are errors naming the link's field") {
  CHECK(error_of({R"(network.links=[{"from": ["lock"], "to": ["client1"], "loss": 1.5}])"}) ==
        "bad.json: network.links[0].loss: expected a number from 0.0 to 1.0, got 1.5");
  CHECK(error_of({R"(network.links=[{"from": ["lock"], "to": [], "loss": 0.5}])"}) ==
        "bad.json: network.links[0].to: expected a non-empty array of node names, got an array []");
  CHECK(error_of({R"(network.links=[{"from": ["lock"], "to": ["client1"]}])"}) ==
        "bad.json: network.links[0].latency: expected at least one of latency, loss, duplicate "
        "(what the link does differently), got nothing");
  CHECK(error_of({R"(network.links=[{"from": ["lock"], "to": ["nobody"], "loss": 0.5}])"}) ==
        "bad.json: network.links[0].to[0]: expected a node of this scenario (lock, storage, "
        "client1, client2), got \"nobody\"");
  CHECK(error_of({R"(network.links=[{"from": ["lock"], "to": ["client1"],
                     "latency": {"min": "20ms", "max": "10ms"}}])"})
            .find("bad.json: network.links[0].latency.max: expected a duration no shorter than "
                  "min (20ms)") == 0);
  CHECK(error_of({R"(network.links=[{"from": ["lock"], "to": ["client1"],
                     "latency": {"shape": "constant", "min": "-1ms"}}])"})
            .find("bad.json: network.links[0].latency.min: expected a duration") == 0);
  CHECK(error_of({R"(network.links={"from": ["lock"]})"})
            .find("bad.json: network.links: expected an array of links") == 0);
  CHECK(error_of({R"(network.links=[{"from": ["lock"], "to": ["client1"], "loss": 0.1,
                     "slow": true}])"})
            .find("bad.json: network.links[0].slow: expected one of the fields both_ways, "
                  "duplicate, from, latency, loss, to") == 0);
  CHECK(error_of({R"(faults.0={"at": "10ms", "kind": "network", "from": ["client1"],
                     "to": ["client9"], "set": {"loss": 1}})"}) ==
        "bad.json: faults[0].to[0]: expected a node of this scenario (lock, storage, client1, "
        "client2), got \"client9\"");
  CHECK(error_of({R"(faults.0={"at": "10ms", "kind": "network", "from": ["client1"],
                     "set": {"loss": 1}})"}) ==
        "bad.json: faults[0].to: expected a non-empty array of node names, got nothing");
  CHECK(error_of({R"(faults.0={"at": "10ms", "kind": "network", "from": ["client1"],
                     "to": ["lock"], "set": {"loss": -0.5}})"}) ==
        "bad.json: faults[0].set.loss: expected a number from 0.0 to 1.0, got -0.5");
  CHECK(error_of({R"(faults.0={"at": "10ms", "kind": "network", "from": ["client1"],
                     "to": ["lock"], "set": {}})"}) ==
        "bad.json: faults[0].set.latency: expected at least one of latency, loss, duplicate "
        "(what the link does differently), got nothing");
}

TEST_CASE("a fault after the end of the run is rejected") {
  nlohmann::json document = nlohmann::json::parse(kBase);
  document["faults"][0]["at"] = "2s";
  CHECK_THROWS_WITH_AS(
      parse_scenario("bad.json", document),
      "bad.json: faults[0].at: expected a time within the run's duration (1s), got \"2s\"",
      protocols::ScenarioError);
}

}  // namespace faultline::run
