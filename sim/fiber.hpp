#pragma once
// Fibers let a client workload or an orchestrator be written as straight-line code:
//
//   auto reply = co.call(lock_server, Acquire{"k", ttl}, milliseconds(50));
//   if (!reply) { ... timed out ... }
//
// A FiberNode is an ordinary Node whose behaviour is one fiber (Boost.Context). Every wait
// (call, sleep, receive) yields to the world's single-threaded scheduler; the reply or the timer
// that ends the wait resumes it. A crash destroys the node and unwinds its fiber; a pause defers
// what would resume it, exactly as for any node.

#include <deque>
#include <exception>
#include <functional>
#include <optional>

#include <boost/context/fiber.hpp>

#include "sim/node.hpp"

namespace faultline::sim {

class FiberNode;

// What fiber code sees ("co"). Valid only inside the fiber that received it.
class Process {
 public:
  explicit Process(FiberNode& owner) : owner_(&owner) {}

  // Sends `request` to `to` and waits for the reply to it, or for `timeout` on the local monotonic
  // clock (nullopt). Replies that arrive after the timeout are discarded.
  std::optional<Message> call(NodeId to, Payload request, Duration timeout);
  // Sends without waiting for anything.
  void send(NodeId to, Payload message);
  // Waits `d` on the local monotonic clock.
  void sleep(Duration d);
  // Waits for the next message that is not a reply to a call (a notification, a watch event),
  // or `timeout` (nullopt).
  std::optional<Message> receive(Duration timeout);

  Context& ctx();
  NodeId self();
  LocalTime now() { return ctx().now(); }
  LocalTime wall_now() { return ctx().wall_now(); }
  uint64_t random(uint64_t bound) { return ctx().random(bound); }
  void note(std::string text) { ctx().note(std::move(text)); }

 private:
  FiberNode* owner_;
};

class FiberNode : public Node {
 public:
  using Body = std::function<void(Process&)>;
  explicit FiberNode(Body body) : body_(std::move(body)), process_(*this) {}
  ~FiberNode() override;

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, const Message& message) override;
  void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
  bool finished() const { return finished_; }

 private:
  friend class Process;
  enum class Wait : uint8_t { kNothing, kCall, kSleep, kReceive };

  void resume(Context& ctx);  // scheduler side: run the fiber until its next wait
  void yield();               // fiber side: back to the scheduler
  std::optional<Message> wait(Wait kind, uint64_t call_id, Duration timeout);

  Body body_;
  Process process_;
  boost::context::fiber fiber_;      // the fiber, while it is suspended
  boost::context::fiber scheduler_;  // inside the fiber: the way back
  Context* ctx_ = nullptr;           // the context of the event being handled
  bool finished_ = false;
  std::exception_ptr error_;

  Wait waiting_ = Wait::kNothing;
  uint64_t awaited_call_ = 0;
  TimerId wait_timer_;
  std::optional<Message> woken_with_;
  std::deque<Message> mailbox_;  // messages for receive() that arrived while not receiving
};

}  // namespace faultline::sim
