#include "sim/storage.hpp"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim_test_nodes.hpp"

using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

struct Big {
  static constexpr const char* kName = "Big";
  std::vector<int64_t> items;
  char padding[64] = {};
};
void to_json(nlohmann::json& j, const Big& b) {
  j = nlohmann::json{{"items", b.items}};
}

int64_t value_of(const Storage& s, const std::string& key) {
  const Ping* p = s.get<Ping>(key);
  return p ? p->n : -1;
}

}  // namespace

TEST_CASE("storage reads see unsynced writes at once") {
  Storage s;
  s.put("a", Ping{1});
  CHECK(value_of(s, "a") == 1);
  CHECK(s.has_unsynced());
  s.sync();
  CHECK_FALSE(s.has_unsynced());
  s.put("a", Ping{2});
  CHECK(value_of(s, "a") == 2);
  s.erase("a");
  CHECK_FALSE(s.contains("a"));
  CHECK(s.get<Pong>("a") == nullptr);
  CHECK(s.writes() == 3);
  CHECK(s.syncs() == 1);
}

TEST_CASE("a storage crash loses unsynced writes and erases but keeps synced ones") {
  Storage s;
  s.put("synced", Ping{1});
  s.put("erased-later", Ping{2});
  s.sync();
  s.put("synced", Ping{10});  // an unsynced overwrite
  s.put("unsynced", Ping{3});
  s.erase("erased-later");  // an unsynced erase
  s.crash(false, [] { return true; });
  CHECK(value_of(s, "synced") == 1);
  CHECK(value_of(s, "erased-later") == 2);
  CHECK_FALSE(s.contains("unsynced"));
  CHECK_FALSE(s.has_unsynced());
}

TEST_CASE("a torn crash keeps exactly the unsynced writes the disk chose to write back") {
  Storage s;
  s.put("k0", Ping{0});
  s.sync();
  for (int i = 0; i < 6; ++i) s.put("k" + std::to_string(i), Ping{100 + i});
  s.erase("k0");
  // Pending keys are visited in key order: k0 (erase), k1..k5. Keep every other one.
  int call = 0;
  s.crash(true, [&call] { return call++ % 2 == 0; });
  CHECK(call == 6);
  CHECK_FALSE(s.contains("k0"));  // the erase survived
  CHECK_FALSE(s.contains("k1"));
  CHECK(value_of(s, "k2") == 102);
  CHECK_FALSE(s.contains("k3"));
  CHECK(value_of(s, "k4") == 104);
  CHECK_FALSE(s.contains("k5"));
}

TEST_CASE("a wipe loses synced and unsynced writes alike") {
  Storage s;
  s.put("a", Ping{1});
  s.sync();
  s.put("b", Ping{2});
  s.wipe();
  CHECK_FALSE(s.contains("a"));
  CHECK_FALSE(s.contains("b"));
  CHECK(s.keys_with_prefix("").empty());
}

TEST_CASE("keys with a prefix merge synced and unsynced keys in order") {
  Storage s;
  s.put("log/1", Ping{1});
  s.put("log/3", Ping{3});
  s.put("meta", Ping{0});
  s.sync();
  s.put("log/2", Ping{2});
  s.erase("log/3");
  s.put("log/4", Ping{4});
  s.put("lof", Ping{4});
  CHECK(s.keys_with_prefix("log/") == std::vector<std::string>{"log/1", "log/2", "log/4"});
  CHECK(s.keys_with_prefix("m") == std::vector<std::string>{"meta"});
  CHECK(s.keys_with_prefix("x").empty());
}

TEST_CASE("a storage value too large to sit inline survives copies, sync and crash") {
  Storage s;
  s.put("big", Big{{1, 2, 3}});
  s.sync();
  s.crash(false, [] { return false; });
  REQUIRE(s.get<Big>("big") != nullptr);
  CHECK(s.get<Big>("big")->items == std::vector<int64_t>{1, 2, 3});
}

namespace {

// Counts messages in volatile state; writes "synced" (then syncs) at the first message and
// "unsynced" at the second.
Script counting_writer(std::vector<int64_t>& counters_seen_at_start) {
  return Script{
      [&counters_seen_at_start](Context& ctx, int64_t& counter) {
        counters_seen_at_start.push_back(counter);
        (void)ctx;
      },
      [](Context& ctx, const Message&, int64_t& counter) {
        ++counter;
        if (counter == 1) {
          ctx.storage().put("synced", Ping{counter});
          ctx.storage().sync();
        } else {
          ctx.storage().put("unsynced", Ping{counter});
        }
      },
      nullptr,
  };
}

NodeFactory sender_of(int count, NodeId to) {
  return scripted(Script{[count, to](Context& ctx, int64_t&) {
                           for (int i = 0; i < count; ++i) ctx.send(to, Ping{i});
                         },
                         nullptr, nullptr});
}

}  // namespace

TEST_CASE("a crash loses volatile state and unsynced writes but keeps synced ones") {
  std::vector<int64_t> counters_at_start;
  World world(WorldOptions{constant_latency(milliseconds(1))}, seeded(1));
  NodeId node = world.add_node("node", scripted(counting_writer(counters_at_start)));
  world.add_node("sender", sender_of(2, node));
  world.run_until(at_ms(10));
  REQUIRE(world.node_as<ScriptedNode>(node)->counter() == 2);
  CHECK(world.storage(node).contains("unsynced"));

  world.crash(node);
  CHECK(world.node_as<ScriptedNode>(node) == nullptr);
  world.restart(node);
  // A fresh object: the volatile counter starts again from zero.
  CHECK(counters_at_start == std::vector<int64_t>{0, 0});
  CHECK(world.node_as<ScriptedNode>(node)->counter() == 0);
  CHECK(value_of(world.storage(node), "synced") == 1);
  CHECK_FALSE(world.storage(node).contains("unsynced"));
}

TEST_CASE("with torn writes a crash keeps some unsynced writes, not all and not none") {
  WorldOptions options;
  options.storage.torn_writes = true;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    World world(options, seeded(seed));
    NodeId node = world.add_node("node", scripted(Script{[](Context& ctx, int64_t&) {
                                   for (int i = 0; i < 64; ++i) {
                                     ctx.storage().put("k" + std::to_string(i), Ping{i});
                                   }
                                 }}));
    world.run_until(at_ms(1));
    world.crash(node);
    size_t kept = world.storage(node).keys_with_prefix("k").size();
    // Each write survives with probability 1/2: all 64 or none has probability 2^-63.
    CHECK(kept > 0);
    CHECK(kept < 64);
  }
}

TEST_CASE("a crash with a wiped disk loses synced writes too") {
  World world(WorldOptions{}, seeded(1));
  NodeId node = world.add_node("node", scripted(Script{[](Context& ctx, int64_t&) {
                                 if (!ctx.storage().contains("boots")) {
                                   ctx.storage().put("boots", Ping{1});
                                   ctx.storage().sync();
                                 }
                               }}));
  world.run_until(at_ms(1));
  Fault crash;
  crash.kind = Fault::Kind::kCrash;
  crash.at = at_ms(2);
  crash.node = node;
  crash.wipe_storage = true;
  world.schedule_fault(crash);
  world.run_until(at_ms(3));
  CHECK_FALSE(world.is_up(node));
  CHECK_FALSE(world.storage(node).contains("boots"));
}
