// Node-state fingerprints of the saga family (protocols/saga/saga_fingerprint.cpp): the step
// services, the choreographed services and the broker give their own state, and the saga ghost
// (each step's net count per saga, the sagas begun, the bounds crossed) and which owners have
// finished are hashed beside them. Each variant's bounded untimed search finds with them what it
// finds with every node's input chain (both_ways), in fewer states. The orchestrators and the
// trip clients run on fibers and keep their chains.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "run/scenario.hpp"
#include "run/world_search.hpp"
#include "tests/run/fingerprint_both_ways.hpp"

namespace faultline::run {

namespace {

Scenario saga_scenario(const std::string& variant, nlohmann::json params, nlohmann::json search) {
  nlohmann::json document = {{"protocol", "saga"},
                             {"variant", variant},
                             {"params", std::move(params)},
                             {"search", std::move(search)}};
  return parse_scenario("saga-search-test.json", document);
}

// One trip of one reservation (the flight), then the charge and the confirmation: the shortest
// saga with a step before its pivot and one after it.
const nlohmann::json kOneTrip = {{"orchestrators", 1}, {"trips", 1}, {"steps", {"flight"}}};

// Orchestrated: one crash of any node, each orchestrator's timers (a call's timeout, a sleep)
// firing at most twice, so that a step can time out and be retried or given up on. The step
// services have no timers.
nlohmann::json orchestrated_search(int max_depth) {
  return {{"strategy", "bfs"}, {"crashes", 1}, {"timers", 2}, {"max_depth", max_depth}};
}

// Choreographed: one crash of any node, each node's timers (the broker's redelivery sweep, a
// service's outbox republish, the client's call timeout) firing once: a second timer each makes
// the correct variant's search some ten times larger at the same depth.
nlohmann::json choreographed_search(int max_depth) {
  return {{"strategy", "bfs"}, {"crashes", 1}, {"timers", 1}, {"max_depth", max_depth}};
}

// Choreographed, the broker's redelivery sweep alone: it fires at most twice (the second tick is
// the first to find a delivery sent at time 0 unacknowledged for redelivery_timeout), no other
// node's timers fire, and one of `targets` may crash.
nlohmann::json broker_sweep_search(std::vector<std::string> targets, int max_depth) {
  return {{"strategy", "bfs"},
          {"crashes", 1},
          {"targets", std::move(targets)},
          {"timers", {{"broker", 2}}},
          {"max_depth", max_depth}};
}

void report(const std::string& variant,
            const std::pair<WorldSearchResult, WorldSearchResult>& results) {
  MESSAGE(variant << ": " << results.first.distinct_states << " / "
                  << results.first.generated_states << " by node states, "
                  << results.second.distinct_states << " / " << results.second.generated_states
                  << " by inputs");
}

}  // namespace

TEST_CASE("node-state fingerprints find what input chains find, in fewer states: sagas") {
  // Two orchestrators booking one trip each for one customer, o1's with a travel credit first:
  // the services serve both in either order, and end the same.
  {
    nlohmann::json params = kOneTrip;
    params["orchestrators"] = 2;
    params["customers"] = 1;
    params["voucher"] = {100, 0};
    const auto r = both_ways(saga_scenario("orchestrated", params, orchestrated_search(8)));
    report("orchestrated", r);
    CHECK_FALSE(r.first.violation.has_value());
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
  {
    const auto r = both_ways(saga_scenario("choreographed", kOneTrip, choreographed_search(7)));
    report("choreographed", r);
    CHECK_FALSE(r.first.violation.has_value());
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
  {
    const auto r =
        both_ways(saga_scenario("choreographed", kOneTrip, broker_sweep_search({"flight"}, 8)));
    report("choreographed, the broker's sweep", r);
    CHECK_FALSE(r.first.violation.has_value());
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
}

TEST_CASE("breadth-first search finds each known saga bug, the same by node states as by inputs") {
  struct Bug {
    const char* variant;
    nlohmann::json params;
    nlohmann::json search;
    const char* checker;
    uint64_t steps;
  };
  nlohmann::json one_attempt = kOneTrip;
  one_attempt["step_attempts"] = 1;
  // o1 credits c1's voucher; o2 takes the only car and spends the credit on its charge; o1's car
  // is refused and its compensation withdraws the credit from a balance of 0.
  const nlohmann::json dirty = {{"orchestrators", 2}, {"trips", 1},          {"customers", 1},
                                {"balance", 0},       {"voucher", {100, 0}}, {"cars", 1},
                                {"steps", {"car"}}};
  const Bug bugs[] = {
      // The charge's call times out, the orchestrator sleeps and calls again, and the payment
      // service charges the same request twice.
      {"non-idempotent-retry", kOneTrip, orchestrated_search(12), "charge-once", 6},
      // The flight's one call times out, its cancel overtakes it, and the late reservation is
      // applied after the saga ended compensated.
      {"no-tombstones", one_attempt, orchestrated_search(12), "saga", 5},
      // The flight is reserved; o1 crashes before its reply and restarts with no log, booking the
      // trip again under a new saga id: the first saga's flight stands alone.
      {"unlogged-orchestrator", kOneTrip, orchestrated_search(12), "saga", 10},
      {"dirty-read", dirty, orchestrated_search(10), "balance-never-negative", 8},
      // The broker crashes before the payment service's acknowledgement of flight.done reaches
      // it, and its restart delivers the event again.
      {"non-idempotent-consumer", kOneTrip, choreographed_search(10), "charge-once", 7},
      // No broker crash: its second sweep finds flight.done sent at 0 and not acknowledged, and
      // delivers it again. The time each delivery was sent is in the broker's hash: without it,
      // a broker that sent the event before its first tick and one that sent it after merge,
      // and the search misses this within 12 steps.
      {"non-idempotent-consumer", kOneTrip, broker_sweep_search({"flight", "payment", "c1"}, 12),
       "charge-once", 7},
  };
  for (const Bug& bug : bugs) {
    const std::string variant = bug.variant;
    CAPTURE(variant);
    const auto r = both_ways(saga_scenario(variant, bug.params, bug.search));
    report(variant, r);
    REQUIRE(r.first.violation.has_value());
    CHECK(r.first.violation->checker == bug.checker);
    CHECK(r.first.violation->steps == bug.steps);
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
}

}  // namespace faultline::run
