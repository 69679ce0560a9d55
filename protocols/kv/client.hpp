#pragma once
// A kv client as a fiber (Jepsen's client + generator in one): it issues get, put, append and
// compare-and-set on a few keys, one at a time, retrying each on timeouts and redirects with the
// same session id and sequence number until a server answers or it gives up. What it saw goes to a
// Jepsen history: ok when answered; for a write it gave up on, info (it may have taken effect); for
// a read it gave up on, fail (a read changes nothing). Works against any replicated log that speaks
// ClientRequest / ClientReply.

#include <string>
#include <vector>

#include "protocols/history_recorder.hpp"
#include "sim/fiber.hpp"
#include "sim/world.hpp"

namespace faultline::protocols::kv {

struct KvClientOptions {
  int operations = 100;  // then the client stops
  std::vector<std::string> keys = {"x", "y"};
  int read_percent = 40;    // share of gets
  int append_percent = 30;  // share of appends
  int cas_percent = 0;      // share of compare-and-sets; the rest are puts
  sim::Duration start_after;
  sim::Duration think = sim::milliseconds(20);          // between two operations
  sim::Duration call_timeout = sim::milliseconds(100);  // one attempt at one server
  sim::Duration retry_backoff = sim::milliseconds(20);  // after a redirect or a timeout
  sim::Duration give_up_after = sim::seconds(2);        // per operation, on the local clock
  // Attempts at a write before it is left with an unknown outcome (0: until give_up_after). A
  // store without sessions (Dynamo's quorums) applies every attempt anew, under a new version, so
  // its clients must not retry a write another coordinator may still be completing.
  int write_attempts = 0;
};

void run_kv_client(sim::Process& co, const KvClientOptions& options,
                   const std::vector<sim::NodeId>& servers, HistoryRecorder& history);

// Adds client1..client<count> to `world`, each a fiber running run_kv_client against `servers`
// and counting itself into `done` when it has finished its operations. `servers` is read when the
// clients boot, so a harness may add the clients before its server list is whole.
void add_kv_clients(sim::World& world, int count, const KvClientOptions& options,
                    const std::vector<sim::NodeId>& servers, HistoryRecorder& history, int& done);

}  // namespace faultline::protocols::kv
