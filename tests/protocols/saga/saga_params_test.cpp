// The saga family's parameters are read strictly: impossible values are one-line errors naming
// the file and the field (exit 2 from the command line).
#include <doctest/doctest.h>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::protocols::saga {
namespace {

std::string error_of(const std::string& variant, const std::string& setting) {
  nlohmann::json document = {
      {"protocol", "saga"}, {"variant", variant}, {"duration", "1s"}, {"params", {{"trips", 1}}}};
  return run::scenario_error(document, {setting});
}

}  // namespace

TEST_CASE("saga parameters: bad values are one-line errors naming the field") {
  CHECK(error_of("orchestrated", "params.steps=[]") ==
        "bad.json: params.steps: expected at least one of \"flight\", \"hotel\", \"car\" (a saga "
        "needs a step), got an array []");
  CHECK(error_of("orchestrated", "params.steps=[\"train\"]") ==
        "bad.json: params.steps[0]: expected one of \"flight\", \"hotel\", \"car\", got \"train\"");
  CHECK(error_of("orchestrated", "params.steps=[\"car\", \"car\"]") ==
        "bad.json: params.steps[1]: expected a step not already listed, got \"car\"");
  CHECK(error_of("orchestrated", "params.orchestrators=0") ==
        "bad.json: params.orchestrators: expected an integer from 1 to 100, got 0");
  CHECK(error_of("choreographed", "params.orchestrators=0") ==
        "bad.json: params.orchestrators: expected an integer from 1 to 100, got 0");
  CHECK(error_of("orchestrated", "params.trips=0") ==
        "bad.json: params.trips: expected an integer from 1 to 1000000, got 0");
  CHECK(error_of("orchestrated", "params.customers=0").find("bad.json: params.customers:") == 0);
  CHECK(error_of("orchestrated", "params.price=0").find("bad.json: params.price:") == 0);
  CHECK(error_of("orchestrated", "params.seats=-1").find("bad.json: params.seats:") == 0);
  CHECK(
      error_of("orchestrated", "params.step_attempts=0").find("bad.json: params.step_attempts:") ==
      0);
  CHECK(error_of("orchestrated", "params.call_timeout=0s").find("bad.json: params.call_timeout:") ==
        0);
  CHECK(error_of("choreographed", "params.redelivery_timeout=0s")
            .find("bad.json: params.redelivery_timeout:") == 0);
  CHECK(error_of("orchestrated", "params.voucher=[1, 2, 3]") ==
        "bad.json: params.voucher: expected one amount per orchestrator (2), got an array [1,2,3]");
  CHECK(error_of("orchestrated", "params.voucher=-5") ==
        "bad.json: params.voucher: expected an integer from 0 to 1000000000000, got -5");
  CHECK(error_of("choreographed", "params.voucher=5") ==
        "bad.json: params.voucher: expected 0: the choreographed saga has no credit step, got 5");
  CHECK(error_of("orchestrated", "params.bogus=1").find("bad.json: params.bogus:") == 0);
  CHECK(error_of("optimistic", "params.trips=1")
            .find("bad.json: variant: expected a variant of saga") == 0);
  for (const char* variant : {"orchestrated", "choreographed", "dirty-read"}) {
    CAPTURE(variant);
    CHECK(error_of(variant, "params.steps=[\"hotel\"]") == "");
  }
}

}  // namespace faultline::protocols::saga
