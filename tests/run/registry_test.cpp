// Protocols registered at run time are found like the built-in ones: a scenario naming one runs.
#include <doctest/doctest.h>

#include <stdexcept>

#include "protocols/paxos/paxos.hpp"
#include "run/registry.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"

namespace faultline::run {

TEST_CASE("a registered protocol runs from a scenario that names it; a taken name is refused") {
  protocols::ProtocolInfo copy = protocols::paxos::paxos_info();
  copy.name = "registered-paxos-copy";
  register_protocol(copy);
  REQUIRE(find_protocol("registered-paxos-copy") != nullptr);
  CHECK_THROWS_AS(register_protocol(copy), std::invalid_argument);
  CHECK_THROWS_AS(register_protocol(protocols::paxos::paxos_info()), std::invalid_argument);

  nlohmann::json document = {{"protocol", "registered-paxos-copy"},
                             {"variant", "ignore-highest-accepted"},
                             {"duration", "5s"}};
  RunOutcome outcome = run_scenario(parse_scenario("registered.json", document), RunOptions{});
  CHECK(outcome.variant == "ignore-highest-accepted");
  CHECK(outcome.stats.events > 0);
}

TEST_CASE("a protocol without variants or make, or with an unlisted default checker, is refused") {
  protocols::ProtocolInfo no_variants = protocols::paxos::paxos_info();
  no_variants.name = "no-variants";
  no_variants.variants.clear();
  CHECK_THROWS_AS(register_protocol(no_variants), std::invalid_argument);

  protocols::ProtocolInfo no_make = protocols::paxos::paxos_info();
  no_make.name = "no-make";
  no_make.make = nullptr;
  CHECK_THROWS_AS(register_protocol(no_make), std::invalid_argument);

  protocols::ProtocolInfo bad_default = protocols::paxos::paxos_info();
  bad_default.name = "bad-default";
  bad_default.default_checkers.push_back("no-such-checker");
  CHECK_THROWS_AS(register_protocol(bad_default), std::invalid_argument);
  CHECK(find_protocol("bad-default") == nullptr);
}

}  // namespace faultline::run
