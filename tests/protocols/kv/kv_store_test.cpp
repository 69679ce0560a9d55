// The kv state machine alone: compare-and-set, etcd's revisions and leases, deduplicated retries,
// and the leader-side lease timers (lease_expiry.hpp), each against a sequence of commands whose
// outcome can be read off by eye.
#include <doctest/doctest.h>

#include "protocols/kv/lease_expiry.hpp"
#include "protocols/kv/store.hpp"

namespace faultline::protocols::kv {
namespace {

KvCommand command(const std::string& f, const std::string& key = "", const std::string& value = "",
                  uint64_t lease = 0) {
  KvCommand c;
  c.f = f;
  c.key = key;
  c.value = value;
  c.lease = lease;
  return c;
}

KvCommand cas(const std::string& key, const std::string& expected, const std::string& value) {
  KvCommand c = command("cas", key, value);
  c.expected = expected;
  return c;
}

KvCommand grant(int64_t ttl_ns) {
  KvCommand c = command("lease-grant");
  c.ttl_ns = ttl_ns;
  return c;
}

sim::LocalTime at_ms(int64_t ms) {
  return sim::LocalTime{} + sim::milliseconds(ms);
}

}  // namespace

TEST_CASE("kv store: cas swaps only from the expected value; an absent key holds \"\"") {
  KvStore store;
  CHECK(store.apply(cas("k", "", "a")).succeeded);
  CHECK(store.read("k") == "a");
  CHECK_FALSE(store.apply(cas("k", "b", "c")).succeeded);
  CHECK(store.read("k") == "a");
  CHECK(store.apply(cas("k", "a", "c")).succeeded);
  CHECK(store.read("k") == "c");
  CHECK(store.revision() == 2);  // the failed cas changed nothing, not even the revision
}

TEST_CASE("kv store: every write advances one revision; keys keep their create revision") {
  KvStore store;
  CHECK(store.apply(command("put", "a", "1")).revision == 1);
  CHECK(store.apply(command("put", "b", "1")).revision == 2);
  CHECK(store.apply(command("append", "a", "2")).revision == 3);
  CHECK(store.apply(command("get", "a")).revision == 3);
  KvResult first = store.apply(command("first-created", "", ""));
  CHECK(first.key == "a");
  CHECK(first.create_revision == 1);
  CHECK(store.apply(command("delete", "a")).revision == 4);
  CHECK_FALSE(store.apply(command("delete", "a")).succeeded);
  CHECK(store.revision() == 4);
  store.apply(command("put", "a", "again"));  // recreated: a new create revision
  first = store.apply(command("first-created", "", ""));
  CHECK(first.key == "b");
  CHECK(first.create_revision == 2);
}

TEST_CASE("kv store: put-if-absent creates once and reports the key's create revision") {
  KvStore store;
  store.apply(command("put", "/other", "x"));
  KvResult created = store.apply(command("put-if-absent", "/lock/1", "me"));
  CHECK(created.succeeded);
  CHECK(created.create_revision == 2);
  store.apply(command("put", "/lock/1", "overwritten"));
  KvResult again = store.apply(command("put-if-absent", "/lock/1", "you"));
  CHECK_FALSE(again.succeeded);
  CHECK(again.create_revision == 2);
  CHECK(again.value == "overwritten");
  // Only keys under the prefix count: "/other" is older but elsewhere.
  store.apply(command("put-if-absent", "/lock/0", "late"));
  KvResult first = store.apply(command("first-created", "/lock/"));
  CHECK(first.key == "/lock/1");
  CHECK(store.apply(command("first-created", "/none/")).key.empty());
  // A waiter's predecessor: the latest key created before it, under the prefix.
  store.apply(command("put-if-absent", "/lock/2", "later"));  // revision 5
  KvCommand ahead = command("last-created-below", "/lock/");
  ahead.below = 5;
  CHECK(store.apply(ahead).key == "/lock/0");
  ahead.below = 4;
  CHECK(store.apply(ahead).key == "/lock/1");
  ahead.below = 2;
  CHECK(store.apply(ahead).key.empty());
}

TEST_CASE("kv store: revoking a lease deletes its keys in one revision; puts need a live lease") {
  KvStore store;
  const uint64_t lease = store.apply(grant(1'000'000'000)).lease;
  CHECK(lease != 0);
  CHECK(store.apply(command("put", "a", "1", lease)).succeeded);
  CHECK(store.apply(command("put-if-absent", "b", "1", lease)).succeeded);
  store.apply(command("put", "c", "1"));
  CHECK_FALSE(store.apply(command("put", "d", "1", lease + 7)).succeeded);  // no such lease
  CHECK(store.read("d").empty());
  // A put without the lease detaches the key from it (etcd: the lease is per put).
  store.apply(command("put", "b", "2"));
  CHECK(store.apply(command("lease-keepalive", "", "", lease)).succeeded);
  const uint64_t before = store.revision();
  CHECK(store.apply(command("lease-revoke", "", "", lease)).revision == before + 1);
  CHECK(store.read("a").empty());
  CHECK(store.read("b") == "2");
  CHECK(store.read("c") == "1");
  CHECK_FALSE(store.apply(command("lease-keepalive", "", "", lease)).succeeded);
  CHECK(store.apply(command("put-if-absent", "e", "1", lease)).create_revision == 0);
}

TEST_CASE("kv store: a retried command is applied once and answered as the first time") {
  KvStore store;
  KvCommand c = cas("k", "", "a");
  c.client = 7;
  c.seq = 1;
  CHECK(store.apply(c).succeeded);
  CHECK(store.apply(c).succeeded);  // the retry: same answer, though "" no longer matches
  CHECK(store.revision() == 1);
}

TEST_CASE("lease expiry: the leader's timers restart on keepalive and on a new leadership") {
  KvStore store;
  LeaseExpiry expiry;
  KvCommand g = grant(sim::seconds(2).ns());
  KvResult granted = store.apply(g);
  expiry.applied(store, g, granted, at_ms(0));
  CHECK(expiry.expired(store, at_ms(1999)).empty());
  KvCommand keepalive = command("lease-keepalive", "", "", granted.lease);
  expiry.applied(store, keepalive, store.apply(keepalive), at_ms(1500));
  CHECK(expiry.expired(store, at_ms(3499)).empty());
  std::vector<KvCommand> due = expiry.expired(store, at_ms(3500));
  REQUIRE(due.size() == 1);
  CHECK(due[0].f == "lease-revoke");
  CHECK(due[0].lease == granted.lease);
  // Proposed once; again only if it is still there a TTL later (the proposal may be lost).
  CHECK(expiry.expired(store, at_ms(3600)).empty());
  CHECK(expiry.expired(store, at_ms(5500)).size() == 1);
  // A new leader gives every lease a full TTL plus the extension from its own now.
  expiry.restart(store, at_ms(10000), sim::milliseconds(150));
  CHECK(expiry.expired(store, at_ms(12149)).empty());
  CHECK(expiry.expired(store, at_ms(12150)).size() == 1);
  expiry.applied(store, due[0], store.apply(due[0]), at_ms(12200));
  CHECK(expiry.expired(store, at_ms(99999)).empty());
}

}  // namespace faultline::protocols::kv
