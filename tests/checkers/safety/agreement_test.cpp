#include "checkers/safety/agreement.hpp"

#include <doctest/doctest.h>

using namespace faultline::checkers;

TEST_CASE("agreement fires when one slot is decided with two values") {
  const std::vector<Decision> decisions = {
      {"slot 3", "n1", "x=1", 2000},
      {"slot 3", "n2", "x=1", 2500},
      {"slot 3", "n3", "x=2", 3000},
      {"slot 3", "n4", "x=2", 3500},  // the same conflicting value is reported once
  };
  const auto findings = check_agreement(decisions);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "agreement");
  CHECK(findings[0].at_ns == 3000);
  CHECK(findings[0].involved == std::vector<std::string>{"n1", "n3"});
  CHECK(findings[0].message ==
        "instance slot 3 decided twice with different values: n1 decided \"x=1\" at 2us, then "
        "n3 decided \"x=2\" at 3us");
}

TEST_CASE("agreement stays quiet when every slot has one value") {
  const std::vector<Decision> decisions = {
      {"1", "n1", "a", 10}, {"1", "n2", "a", 20}, {"2", "n1", "b", 30}, {"2", "n3", "b", 5}};
  CHECK(check_agreement(decisions).empty());
  CHECK(check_agreement(decisions, std::vector<Proposal>{{"1", "a"}, {"2", "b"}, {"2", "c"}})
            .empty());
}

TEST_CASE("validity fires when a value nobody proposed is decided") {
  const std::vector<Decision> decisions = {{"1", "n2", "ghost", 40}};
  const auto findings = check_agreement(decisions, std::vector<Proposal>{{"1", "a"}});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].checker == "validity");
  CHECK(findings[0].message == "instance 1: n2 decided \"ghost\" at 40ns, which nobody proposed");
  CHECK(findings[0].involved == std::vector<std::string>{"n2"});
}
