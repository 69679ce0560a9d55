#pragma once
// Clients of the replicated kv service (protocols/kv, through a KvSession: retried commands keep
// their sequence number, so the store applies each once) that build something on it by
// read-modify-write, one operation at a time:
//
//   a counter on one key: an increment reads the value and writes it plus one, either with a
//   plain put (get then put: two clients that read the same value both write the same sum, and
//   one increment is lost) or with a compare-and-set that expects the value read, read again and
//   retried when another write came between (the CAS loop);
//
//   a row with a version column (optimistic locking): an update reads the row, adds its item and
//   writes the row back with the version raised by one, either only if the row still holds the
//   version read (a compare-and-set on the row as read, version included, retried after a
//   conflict) or blindly, with a put that overwrites whatever the row holds by then.
//
// Each records the logical operation, not its gets and puts, in a Jepsen history: for the
// counter, add 1 and read n (the counter model); for the row, add item and read [items] (the set
// model). The store is linearizable either way; what these histories judge is what was built on
// it. Increments and updates also go to the ghost, for the final-value checker.

#include <string>
#include <vector>

#include "protocols/counter/counter_ghost.hpp"
#include "protocols/history_recorder.hpp"
#include "protocols/kv/session.hpp"
#include "sim/fiber.hpp"

namespace faultline::protocols::counter {

struct KvClientOptions {
  int operations = 20;
  int read_percent = 30;
  // The counter: a CAS loop (true) or get then put. The row: version-checked (true) or blind.
  bool checked = true;
  std::string key = "counter";
  kv::KvSessionTimeouts timeouts;
  sim::Duration think = sim::milliseconds(20);
  sim::Duration give_up_after = sim::seconds(2);
};

void run_kv_counter_client(sim::Process& co, const KvClientOptions& options,
                           const std::vector<sim::NodeId>& servers, HistoryRecorder& history,
                           CounterGhost& ghost);

void run_row_client(sim::Process& co, const KvClientOptions& options,
                    const std::vector<sim::NodeId>& servers, HistoryRecorder& history,
                    CounterGhost& ghost);

}  // namespace faultline::protocols::counter
