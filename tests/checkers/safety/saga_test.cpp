#include "checkers/safety/saga.hpp"

#include <doctest/doctest.h>

using namespace faultline::checkers;

namespace {
constexpr int64_t kMs = 1000000;
const SagaStepKind A = SagaStepKind::applied;
const SagaStepKind C = SagaStepKind::compensated;
const std::vector<SagaPlan> kPlan = {{"s1", {"flight", "hotel", "charge"}}};
}  // namespace

TEST_CASE("saga checker stays quiet on a saga all done and on one all compensated") {
  const std::vector<SagaStepEvent> done = {{"s1", "flight", "flight", A, 1 * kMs},
                                           {"s1", "hotel", "hotel", A, 2 * kMs},
                                           {"s1", "charge", "payment", A, 3 * kMs}};
  CHECK(check_saga(done, kPlan).empty());
  // The hotel refused: the flight is compensated, the charge never ran.
  const std::vector<SagaStepEvent> undone = {{"s1", "flight", "flight", A, 1 * kMs},
                                             {"s1", "flight", "flight", C, 4 * kMs}};
  CHECK(check_saga(undone, kPlan).empty());
}

TEST_CASE("saga checker fires on a saga left half done, naming every step's fate") {
  const std::vector<SagaStepEvent> events = {{"s1", "flight", "flight", A, 1 * kMs},
                                             {"s1", "hotel", "hotel", A, 9 * kMs},
                                             {"s1", "flight", "flight", C, 5 * kMs}};
  const auto findings = check_saga(events, kPlan);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "saga.all-or-compensated");
  CHECK(findings[0].at_ns == 9 * kMs);
  CHECK(findings[0].involved == std::vector<std::string>{"flight", "hotel"});
  CHECK(findings[0].message ==
        "saga s1 ended half done (applied: hotel; not applied: flight, charge): flight applied by "
        "flight at 1ms, "
        "compensated by flight at 5ms; hotel applied by hotel at 9ms; charge never applied");
  // A saga still running is not judged for it.
  CHECK(check_saga(events, {}).empty());
}

TEST_CASE("saga checker fires on a compensation with nothing to undo") {
  const std::vector<SagaStepEvent> events = {{"s1", "hotel", "hotel", C, 2 * kMs}};
  const auto findings = check_saga(events, {});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "saga.compensation-without-step");
  CHECK(findings[0].at_ns == 2 * kMs);
  CHECK(findings[0].message ==
        "saga s1: hotel compensated by hotel at 2ms with no application of hotel to undo (hotel "
        "compensated by hotel at 2ms)");
}

TEST_CASE("saga checker fires on a step applied twice, and does not call the saga half done") {
  const std::vector<SagaStepEvent> events = {{"s1", "flight", "flight", A, 1 * kMs},
                                             {"s1", "hotel", "hotel", A, 2 * kMs},
                                             {"s1", "charge", "payment", A, 3 * kMs},
                                             {"s1", "charge", "payment", A, 7 * kMs}};
  const auto findings = check_saga(events, kPlan);
  // Every step went through, the charge twice: the one thing wrong is the second charge.
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "saga.applied-twice");
  CHECK(findings[0].at_ns == 7 * kMs);
  CHECK(findings[0].involved == std::vector<std::string>{"payment"});
  CHECK(findings[0].message ==
        "saga s1: charge applied by payment at 7ms while an earlier application still stood "
        "(charge applied by payment at 3ms, applied by payment at 7ms)");
  // A step applied twice in a saga otherwise compensated leaves it half done, and says so.
  const std::vector<SagaStepEvent> half = {{"s1", "flight", "flight", A, 1 * kMs},
                                           {"s1", "flight", "flight", A, 2 * kMs},
                                           {"s1", "flight", "flight", C, 3 * kMs}};
  const auto both = check_saga(half, kPlan);
  REQUIRE(both.size() == 2);
  CHECK(both[1].checker == "saga.all-or-compensated");
  CHECK(both[1].message.find("ended half done (applied: flight; not applied: hotel, charge)") == 8);
  // Applied, compensated, applied again is no double application.
  const std::vector<SagaStepEvent> again = {{"s1", "flight", "flight", A, 1 * kMs},
                                            {"s1", "flight", "flight", C, 2 * kMs},
                                            {"s1", "flight", "flight", A, 3 * kMs},
                                            {"s1", "hotel", "hotel", A, 4 * kMs},
                                            {"s1", "charge", "payment", A, 5 * kMs}};
  CHECK(check_saga(again, kPlan).empty());
}

TEST_CASE("quantity bounds fire at the first change that leaves the bounds, once per subject") {
  const std::vector<QuantitySample> ok = {{"balance of c1", 100, 0, 1000, 1 * kMs, "credit", "p"},
                                          {"balance of c1", 0, 0, 1000, 2 * kMs, "charge", "p"}};
  CHECK(check_quantity_bounds("balance-never-negative", ok).empty());
  const std::vector<QuantitySample> bad = {
      {"balance of c1", 100, 0, 1000, 1 * kMs, "credit s1", "payment"},
      {"balance of c1", -100, 0, 1000, 5 * kMs, "undo credit s1", "payment"},
      {"balance of c1", 0, 0, 1000, 3 * kMs, "charge s2", "payment"},
      {"balance of c1", -200, 0, 1000, 6 * kMs, "again", "payment"}};
  const auto findings = check_quantity_bounds("balance-never-negative", bad);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "balance-never-negative");
  CHECK(findings[0].at_ns == 5 * kMs);
  CHECK(findings[0].involved == std::vector<std::string>{"payment"});
  CHECK(findings[0].message ==
        "balance of c1 became -100 at 5ms, below its minimum 0: undo credit s1; before it, "
        "charge s2 at 3ms left it at 0");
}

TEST_CASE("quantity bounds fire when units held exceed the capacity") {
  const std::vector<QuantitySample> seats = {
      {"units held by flight", 1, 0, 1, 1 * kMs, "reserve flight for s1", "flight"},
      {"units held by flight", 2, 0, 1, 2 * kMs, "reserve flight for s2", "flight"}};
  const auto findings = check_quantity_bounds("seats-never-oversold", seats);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].at_ns == 2 * kMs);
  CHECK(findings[0].message ==
        "units held by flight became 2 at 2ms, above its maximum 1: reserve flight for s2; before "
        "it, reserve flight for s1 at 1ms left it at 1");
}
