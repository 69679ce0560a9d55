#pragma once
// How every client records what it does: Jepsen's operations (invoke, then ok / fail / info,
// with f and value). Each operation goes into the trace, so the diagram can label what each
// client was doing, and, for a client whose harness judges a history (the kv clients'
// linearizability), into that history too (HistoryRecorder, history_recorder.hpp). Clients make
// one ClientOperations per incarnation, inside their fiber, and record through it.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "checkers/history.hpp"
#include "sim/fiber.hpp"
#include "sim/node.hpp"
#include "sim/world.hpp"

namespace faultline::protocols {

// The trace's record of one operation (`type`: "invoke", "ok", "fail" or "info").
inline void trace_operation(sim::Context& ctx, const char* type, const std::string& f,
                            nlohmann::json value) {
  if (!ctx.world().tracing()) return;
  ctx.world().trace_operation(
      ctx.self(), {{"process", ctx.name()}, {"type", type}, {"f", f}, {"value", std::move(value)}});
}

// Where operations are kept besides the trace, for a checker (HistoryRecorder).
class OperationSink {
 public:
  virtual ~OperationSink() = default;
  // A fresh process number: one per client incarnation.
  virtual int64_t new_process() = 0;
  // One operation of `process`, run by the client node of `ctx`, at the true time.
  virtual void record(sim::Context& ctx, int64_t process, checkers::OpType type,
                      const std::string& f, nlohmann::json value) = 0;
};

class ClientOperations {
 public:
  // The trace only: for workloads judged on ghost state rather than on a history.
  explicit ClientOperations(sim::Process& co) : co_(&co) {}
  // The trace and `history`, under a fresh process number: Jepsen gives a restarted client a new
  // process, so an operation its crash left open is never followed by a second invoke.
  ClientOperations(sim::Process& co, OperationSink& history)
      : co_(&co), history_(&history), process_(history.new_process()) {}

  void invoke(const std::string& f, nlohmann::json value) {
    record(checkers::OpType::invoke, f, std::move(value));
  }
  void ok(const std::string& f, nlohmann::json value) {
    record(checkers::OpType::ok, f, std::move(value));
  }
  void fail(const std::string& f, nlohmann::json value) {
    record(checkers::OpType::fail, f, std::move(value));
  }
  // The outcome is unknown (a timeout): the operation may or may not have taken effect.
  void info(const std::string& f, nlohmann::json value) {
    record(checkers::OpType::info, f, std::move(value));
  }
  // An outcome decided at run time (`reply ? ok : info`).
  void record(checkers::OpType type, const std::string& f, nlohmann::json value) {
    sim::Context& ctx = co_->ctx();
    trace_operation(ctx, checkers::to_string(type), f, value);
    if (history_) history_->record(ctx, process_, type, f, std::move(value));
  }

  // The history's process number (-1 when the trace is all that is recorded).
  int64_t process() const { return process_; }

 private:
  sim::Process* co_;
  OperationSink* history_ = nullptr;
  int64_t process_ = -1;
};

}  // namespace faultline::protocols
