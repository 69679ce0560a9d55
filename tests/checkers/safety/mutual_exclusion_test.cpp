#include "checkers/safety/mutual_exclusion.hpp"
#include "base/format_ns.hpp"

#include <doctest/doctest.h>

using namespace faultline;
using namespace faultline::checkers;

namespace {
constexpr int64_t kMs = 1000000;
}

TEST_CASE("mutual exclusion fires when a paused holder outlives its lease (Kleppmann)") {
  // client1 holds from 100ms and, paused, still believes so until 1.5s; client2 acquires at 1.2s.
  const std::vector<LockHolding> holdings = {
      {"lease", "client1", 1, 100 * kMs, 1500 * kMs},
      {"lease", "client2", 2, 1200 * kMs, 1300 * kMs},
  };
  const auto findings = check_mutual_exclusion(holdings);
  REQUIRE(findings.size() == 1);
  const Finding& f = findings[0];
  CHECK(f.checker == "mutual-exclusion");
  CHECK(f.at_ns == 1200 * kMs);
  CHECK(f.involved == std::vector<std::string>{"client1", "client2"});
  CHECK(f.message ==
        "lock \"lease\" held by two clients at once: client2 acquired it at 1.2s (token 2) while "
        "client1 still believed it held it (since 100ms, token 1, until 1.5s); they overlapped "
        "for 100ms");
}

TEST_CASE("mutual exclusion reports a holder that never released as overlapping to the end") {
  const std::vector<LockHolding> holdings = {
      {"lease", "client1", 0, 0, kNever},
      {"lease", "client2", 0, 5 * kMs, 6 * kMs},
  };
  const auto findings = check_mutual_exclusion(holdings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.find("until never") != std::string::npos);
  CHECK(findings[0].message.find("no token") != std::string::npos);
  CHECK(findings[0].message.find("for 1ms") != std::string::npos);
}

TEST_CASE("mutual exclusion stays quiet for back-to-back and per-lock holdings") {
  const std::vector<LockHolding> holdings = {
      {"a", "client1", 1, 0, 100 * kMs},
      {"a", "client2", 2, 100 * kMs, 200 * kMs},  // acquire exactly at release: half-open
      {"b", "client1", 1, 50 * kMs, 150 * kMs},   // another lock may be held meanwhile
      {"a", "client3", 3, 300 * kMs, kNever},
  };
  CHECK(check_mutual_exclusion(holdings).empty());
}

TEST_CASE("fenced access fires when the resource accepts a stale token") {
  const std::vector<ResourceAccess> accesses = {
      {"storage", "client1", 33, 100 * kMs, true},
      {"storage", "client2", 34, 1200 * kMs, true},
      {"storage", "client1", 33, 1500 * kMs, true},
  };
  const auto findings = check_fenced_access(accesses);
  REQUIRE(findings.size() == 1);
  const Finding& f = findings[0];
  CHECK(f.checker == "fenced-access");
  CHECK(f.at_ns == 1500 * kMs);
  CHECK(f.involved == std::vector<std::string>{"client1", "client2"});
  CHECK(f.message.find("accepted stale token 33 from client1 at 1.5s") != std::string::npos);
  CHECK(f.message.find("newer token 34 from client2 at 1.2s") != std::string::npos);
}

TEST_CASE("fenced access stays quiet when the stale token is rejected") {
  const std::vector<ResourceAccess> accesses = {
      {"storage", "client2", 34, 1200 * kMs, true},
      {"storage", "client1", 33, 1500 * kMs, false},  // rejected: the fence worked
      {"storage", "client2", 34, 1600 * kMs, true},   // same token again is fine
      {"other", "client1", 1, 1700 * kMs, true},      // a different resource has its own fence
  };
  CHECK(check_fenced_access(accesses).empty());
}

TEST_CASE("fenced access fires when two clients write with the same token") {
  // A lock server that restarted without its token counter grants token 1 again: the resource
  // accepts both writes, and only the holder's name tells them apart.
  const std::vector<ResourceAccess> accesses = {
      {"storage", "client1", 1, 100 * kMs, true},
      {"storage", "client1", 1, 150 * kMs, true},  // the same holder again is fine
      {"storage", "client2", 1, 900 * kMs, true},
  };
  const auto findings = check_fenced_access(accesses);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].at_ns == 900 * kMs);
  CHECK(findings[0].involved == std::vector<std::string>{"client2", "client1"});
  CHECK(findings[0].message ==
        "resource \"storage\" accepted token 1 from client2 at 900ms after it had accepted the "
        "same token from client1 at 150ms; the lock service granted one token to two holders, "
        "so fencing cannot tell them apart");
}
