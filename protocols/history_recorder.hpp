#pragma once
// Keeps what fiber clients observed as a Jepsen history (invoke / ok / fail / info, with true
// time), for the linearizability checker. Clients record into it through ClientOperations
// (client_operation.hpp), which also shows each operation in the trace. It lives in the harness,
// outside the nodes, so a client's crash does not erase what it had already seen. Shared by
// every replicated-log family (Raft, Multi-Paxos) and Dynamo.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/history.hpp"
#include "protocols/client_operation.hpp"
#include "sim/node.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols {

class HistoryRecorder final : public OperationSink {
 public:
  int64_t new_process() override { return next_process_++; }

  void record(sim::Context& ctx, int64_t process, checkers::OpType type, const std::string& f,
              nlohmann::json value) override {
    names_.emplace(process, ctx.name());
    checkers::Operation op;
    op.process = process;
    op.type = type;
    op.f = f;
    op.value = std::move(value);
    op.time_ns = ctx.observer_time().ns();
    // The order hash grows with the history, which only grows: a search asks for it at every
    // state it reaches, and rehashing every operation each time would cost that many more.
    sim::StateHasher order;
    order.add(order_hash_).add(op.process).add(op.type).add(op.f).add(op.value.dump());
    order_hash_ = order.value();
    history_.ops.push_back(std::move(op));
  }

  const checkers::History& history() const { return history_; }

  // The history as a search's ghost state (sim::World::add_ghost_state): every operation in the
  // order recorded, without its time. A client's own operations follow from its inputs, but how
  // they interleave with other clients' does not, and that order is the real-time order the
  // linearizability checker judges: two states that differ only there are different states.
  void hash(sim::StateHasher& hasher) const { hasher.add(history_.ops.size()).add(order_hash_); }
  // The client node that ran a process ("client2"), for findings and diagram highlights.
  std::string process_name(int64_t process) const {
    auto it = names_.find(process);
    return it == names_.end() ? checkers::numbered_process(process) : it->second;
  }

  // True times at which an operation named in `fs` completed ok (progress for liveness).
  std::vector<int64_t> ok_times(const std::vector<std::string>& fs) const {
    std::vector<int64_t> out;
    for (const checkers::Operation& op : history_.ops) {
      if (op.type != checkers::OpType::ok) continue;
      for (const std::string& f : fs) {
        if (op.f == f) out.push_back(op.time_ns);
      }
    }
    return out;
  }

 private:
  checkers::History history_{"history", {}, true};
  int64_t next_process_ = 0;
  uint64_t order_hash_ = 0;  // every operation so far, in order, without its time (hash())
  std::map<int64_t, std::string> names_;
};

}  // namespace faultline::protocols
