// Node-state fingerprints of the lock family (protocols/locks/lock_fingerprint.cpp): the lease lock
// server (alone and as Redlock's instances), the ZooKeeper-like server and the protected storage
// give their own state, and the lock ghost (who held what, which tokens the storage accepted) is
// hashed beside them. Each variant's bounded untimed search finds with them what it finds with
// every node's input chain (both_ways), in fewer states wherever two orders of steps can meet. The
// lock clients run on fibers and keep their chains; etcd's servers are Raft's, which give their
// state already. The timed searches, which the catalog's lock search scenarios are, tell states
// apart by input chains whatever the scenario says: they find the same, in the same states.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "run/scenario.hpp"
#include "run/world_search.hpp"
#include "tests/run/fingerprint_both_ways.hpp"

namespace faultline::run {

namespace {

Scenario lock_scenario(const std::string& protocol, const std::string& variant,
                       nlohmann::json params, nlohmann::json search,
                       std::vector<std::string> checkers) {
  nlohmann::json document = {{"protocol", protocol},
                             {"variant", variant},
                             {"params", std::move(params)},
                             {"checkers", std::move(checkers)},
                             {"search", std::move(search)}};
  return parse_scenario("lock-search-test.json", document);
}

// The lease lock as scenarios/search/lease-*-timed.json has it.
const nlohmann::json kLeaseParams = {{"clients", 2},
                                     {"ttl", "10s"},
                                     {"compute", "100ms"},
                                     {"stagger", "20ms"},
                                     {"retry_interval", "2s"}};
const std::vector<std::string> kBothCheckers = {"mutual-exclusion", "fenced-mutual-exclusion"};

}  // namespace

TEST_CASE("node-state fingerprints find what input chains find: the lease lock") {
  // An untimed lease never expires (the server's clock follows its timers, and it has none): the
  // fenced lock holds through a crash of the server, which reloads its leases and token counter.
  {
    const auto r = both_ways(lock_scenario("lease-lock", "fenced", kLeaseParams,
                                           {{"timers", 2}, {"crashes", 1}, {"targets", {"lock"}}},
                                           kBothCheckers));
    CHECK(r.first.exhausted);
    CHECK_FALSE(r.first.violation.has_value());
    CHECK(r.first.distinct_states == 8'138);
    CHECK(r.second.distinct_states == 17'451);
  }
  // A lost message and a crash of a client or the server: a reply lost or a client gone leaves
  // the storage's cells and the ghost's accepted writes as the only record of a write, so the
  // count below is what hashing them (lock_fingerprint.cpp, LockGhost::hash) keeps apart: a hash
  // that left them out would merge more states.
  {
    const auto r = both_ways(lock_scenario("lease-lock", "fenced", kLeaseParams,
                                           {{"timers", 1},
                                            {"crashes", 1},
                                            {"drops", 1},
                                            {"targets", {"client1", "client2", "lock"}},
                                            {"max_depth", 12}},
                                           kBothCheckers));
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states == 3'460);
    CHECK(r.second.distinct_states == 6'266);
  }
  // Unfenced storage (and the two Redis snippets, which run against it): client1's Write stays in
  // flight while it gives up and releases, and lands after client2's. The untimed search of
  // docs/model-checking.md's "Timed search", 13 steps.
  for (const char* variant : {"unfenced", "unconditional-release"}) {
    CAPTURE(variant);
    const auto r = both_ways(
        lock_scenario("lease-lock", variant, kLeaseParams, {{"timers", 3}}, kBothCheckers));
    REQUIRE(r.first.violation.has_value());
    CHECK(r.first.violation->checker == "fenced-mutual-exclusion");
    CHECK(r.first.violation->steps == 13);
    CHECK(r.first.distinct_states == 8'045);
    CHECK(r.second.distinct_states == 12'001);
  }
  // Without NX the second Acquire overwrites the holder: five steps, before any two orders meet.
  {
    const auto r = both_ways(lock_scenario("lease-lock", "set-without-nx", kLeaseParams,
                                           {{"timers", 2}}, kBothCheckers));
    REQUIRE(r.first.violation.has_value());
    CHECK(r.first.violation->checker == "mutual-exclusion");
    CHECK(r.first.violation->steps == 5);
    CHECK(r.first.distinct_states == r.second.distinct_states);
  }
  // A server that keeps its leases in memory restarts with none and its token counter at zero:
  // client2 is granted token 1 while client1 still holds it, in seven steps.
  {
    nlohmann::json params = kLeaseParams;
    params["persist"] = false;
    const auto r = both_ways(lock_scenario("lease-lock", "fenced", params,
                                           {{"timers", 1}, {"crashes", 1}, {"targets", {"lock"}}},
                                           kBothCheckers));
    REQUIRE(r.first.violation.has_value());
    CHECK(r.first.violation->checker == "mutual-exclusion");
    CHECK(r.first.violation->steps == 7);
    CHECK(r.first.distinct_states <= r.second.distinct_states);
  }
}

TEST_CASE("node-state fingerprints find what input chains find: Redlock") {
  const nlohmann::json params = {
      {"clients", 2}, {"servers", 3}, {"ttl", "10s"}, {"compute", "100ms"}, {"stagger", "20ms"}};
  // Untimed, no wall clock jumps: the wall-clock variant passes as the monotonic one does.
  for (const char* variant : {"monotonic", "wall-clock"}) {
    CAPTURE(variant);
    const auto r =
        both_ways(lock_scenario("redlock", variant, params, {{"timers", 1}}, kBothCheckers));
    CHECK(r.first.exhausted);
    CHECK_FALSE(r.first.violation.has_value());
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
  {
    const auto r = both_ways(
        lock_scenario("redlock", "monotonic", params,
                      {{"timers", 1}, {"crashes", 1}, {"targets", {"redis2"}}, {"max_depth", 14}},
                      kBothCheckers));
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
  // Kleppmann's restart: redis2 forgets client1's key, and client2 takes redis2 and redis3.
  {
    const auto r = both_ways(lock_scenario("redlock", "unpersisted", params,
                                           {{"timers", 1}, {"crashes", 1}, {"targets", {"redis2"}}},
                                           kBothCheckers));
    REQUIRE(r.first.violation.has_value());
    CHECK(r.first.violation->checker == "mutual-exclusion");
    CHECK(r.first.violation->steps == 14);
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
}

TEST_CASE("node-state fingerprints find what input chains find: the ZooKeeper lock recipe") {
  // A session of 50ms and the server's tick of 100ms: its one tick in reach expires every session
  // that has not pinged since, so expiries, deletions and watch events are in the space.
  const nlohmann::json params = {{"clients", 2},
                                 {"compute", "100ms"},
                                 {"stagger", "20ms"},
                                 {"session_timeout", "50ms"},
                                 {"ping_interval", "40ms"}};
  const std::vector<std::string> fenced = {"fenced-mutual-exclusion"};
  for (const char* variant : {"recipe", "unfenced", "herd"}) {
    CAPTURE(variant);
    const auto r = both_ways(
        lock_scenario("zk-lock", variant, params, {{"timers", 1}, {"max_depth", 11}}, fenced));
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
  // A lost message and a crash of a client: what only the server's memory shows (each session's
  // last ping, the watches, a list of children a read made and no write has persisted yet) and
  // the lock ghost count here: leaving out the live sessions, the lists of children or the
  // ghost's records merges more states.
  {
    const auto r = both_ways(lock_scenario("zk-lock", "recipe", params,
                                           {{"timers", 1},
                                            {"crashes", 1},
                                            {"drops", 1},
                                            {"targets", {"client1", "client2"}},
                                            {"max_depth", 9}},
                                           fenced));
    CHECK(r.first.distinct_states == 15'517);
    CHECK(r.second.distinct_states == 19'489);
  }
  // A crash of the server, which reloads its snapshot and counts every session's timeout again
  // from the restart, under naive-retry's clients (a create whose reply does not come is sent
  // again).
  {
    const auto r = both_ways(lock_scenario(
        "zk-lock", "naive-retry", params,
        {{"timers", 1}, {"crashes", 1}, {"targets", {"zk"}}, {"max_depth", 10}}, fenced));
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
}

TEST_CASE("node-state fingerprints find what input chains find: etcd's lock") {
  // One Raft server (it leads from the start) under the lock clients; the storage gives its state
  // and the lock ghost is hashed, beside Raft's.
  const nlohmann::json params = {
      {"servers", 1}, {"clients", 2}, {"compute", "100ms"}, {"stagger", "20ms"}};
  for (const char* variant : {"fenced", "unfenced"}) {
    CAPTURE(variant);
    const auto r =
        both_ways(lock_scenario("etcd-lock", variant, params, {{"timers", 1}, {"max_depth", 18}},
                                {"fenced-mutual-exclusion"}));
    CHECK(r.first.cut_by == "max-depth");
    CHECK(r.first.distinct_states < r.second.distinct_states);
  }
  const auto r = both_ways(lock_scenario(
      "etcd-lock", "unfenced", params,
      {{"timers", 1}, {"crashes", 1}, {"targets", {"s1", "storage"}}, {"max_depth", 12}},
      {"fenced-mutual-exclusion"}));
  CHECK(r.first.distinct_states < r.second.distinct_states);
}

TEST_CASE("the timed lease-lock searches tell states apart by input chains either way") {
  // scenarios/search/lease-*-timed.json: World::timed_fingerprint hashes each node's chain of
  // inputs (with the times between them), never its own state, so the same counts both ways, and
  // the catalog's counterexample of 34 instants.
  const std::string dir = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/search/";
  const auto unfenced = both_ways(load_scenario(dir + "lease-unfenced-timed.json"));
  REQUIRE(unfenced.first.violation.has_value());
  CHECK(unfenced.first.violation->checker == "fenced-mutual-exclusion");
  CHECK(unfenced.first.violation->steps == 34);
  CHECK(unfenced.first.distinct_states == 1'583);
  CHECK(unfenced.second.distinct_states == 1'583);
  const auto fenced = both_ways(load_scenario(dir + "lease-fenced-timed.json"));
  CHECK(fenced.first.exhausted);
  CHECK_FALSE(fenced.first.violation.has_value());
  CHECK(fenced.first.distinct_states == 2'354);
  CHECK(fenced.second.distinct_states == 2'354);
}

}  // namespace faultline::run

namespace faultline::run {

TEST_CASE("fenced storage keeps its highest token through its own crash") {
  // A storage that kept the highest token in memory only would, restarted, accept the stale
  // write fencing refuses: client2 writes with token 2, the storage crashes and restarts, and
  // client1's delayed write with token 1 lands (seventeen steps). It syncs the token with the
  // value before it acknowledges a write, so no schedule of the same budget breaks it.
  const auto r = both_ways(
      lock_scenario("lease-lock", "fenced", kLeaseParams,
                    {{"timers", 2}, {"crashes", 1}, {"targets", {"storage"}}, {"max_depth", 18}},
                    {"fenced-mutual-exclusion"}));
  CHECK_FALSE(r.first.violation.has_value());
  CHECK(r.first.cut_by == "max-depth");
  // The storage's crash is in reach: the search took it.
  CHECK(r.first.coverage.count("crash") == 1);
}

}  // namespace faultline::run
