#pragma once
// The cache family's clients, as fibers: readers get keys through the cache, writers put them
// (in cache-aside mode to the store, otherwise to the key's cache). Each records a Jepsen history
// in the kv model's shape ([key, value]), so reads through the cache can be judged linearizable.
// A read is retried until give_up_after (then it failed: it changed nothing); a write is one
// attempt (no reply within write_timeout: unknown outcome), since a write retried later could land
// after a newer one.

#include <string>
#include <vector>

#include "protocols/cache/options.hpp"
#include "protocols/history_recorder.hpp"
#include "sim/fiber.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::cache {

struct ClientOptions {
  Mode mode = Mode::kAside;
  bool writer = false;
  int operations = 30;
  std::vector<std::string> keys = {"x"};
  sim::Duration start_after;
  sim::Duration think = sim::milliseconds(20);
  sim::Duration call_timeout = sim::milliseconds(50);
  sim::Duration write_timeout = sim::seconds(1);
  sim::Duration retry_backoff = sim::milliseconds(10);
  sim::Duration give_up_after = sim::seconds(1);
};

// Where the clients send: read when each client boots, so the harness may fill them in after.
struct Servers {
  sim::NodeId store = sim::kNoNode;
  std::vector<sim::NodeId> caches;
};

void run_client(sim::Process& co, const ClientOptions& options, const Servers& servers,
                HistoryRecorder& history);

}  // namespace faultline::protocols::cache
