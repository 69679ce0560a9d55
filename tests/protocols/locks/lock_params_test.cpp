// The lock family's parameters are read strictly: impossible values are one-line errors naming
// the file and the field (exit 2 from the command line).
#include <doctest/doctest.h>

#include "protocols/params.hpp"
#include "run/runner.hpp"
#include "run/scenario.hpp"
#include "tests/scenario_error.hpp"

namespace faultline::protocols::locks {
namespace {

std::string error_of(const std::string& protocol, const std::string& setting) {
  nlohmann::json document = {{"protocol", protocol}, {"duration", "1s"}};
  return run::scenario_error(document, {setting});
}

}  // namespace

TEST_CASE("lock parameters: bad values are one-line errors naming the field") {
  CHECK(error_of("redlock", "params.servers=0").find("bad.json: params.servers: expected") == 0);
  CHECK(error_of("redlock", "params.servers=1000000000").find("params.servers") !=
        std::string::npos);
  CHECK(error_of("redlock", "params.ttl=0s").find("bad.json: params.ttl:") == 0);
  CHECK(error_of("redlock", "params.drift_factor=0.9").find("params.drift_factor") !=
        std::string::npos);
  CHECK(error_of("redlock", "params.clients=0").find("bad.json: params.clients:") == 0);
  CHECK(error_of("redlock", "params.compute=[\"1s\"]").find("one duration per client") !=
        std::string::npos);
  CHECK(error_of("zk-lock", "params.session_timeout=0s").find("params.session_timeout") !=
        std::string::npos);
  CHECK(error_of("zk-lock", "params.ping_interval=5s").find("below session_timeout") !=
        std::string::npos);
  CHECK(error_of("zk-lock", "params.clients=1000000000").find("params.clients") !=
        std::string::npos);
  CHECK(error_of("lease-lock", "params.ttl=0s").find("bad.json: params.ttl:") == 0);
  CHECK(error_of("zk-lock", "params.bogus=1").find("params.bogus") != std::string::npos);
  for (const char* protocol : {"redlock", "zk-lock"}) {
    CAPTURE(protocol);
    CHECK(error_of(protocol, "params.clients=3") == "");
  }
}

}  // namespace faultline::protocols::locks
