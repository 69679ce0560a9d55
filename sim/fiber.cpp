#include "sim/fiber.hpp"

#include <cassert>
#include <memory>

#include "sim/stack_pool.hpp"
#include "sim/world.hpp"

namespace faultline::sim {

namespace ctx = boost::context;

// --- Process ---------------------------------------------------------------------------------

Context& Process::ctx() {
  assert(owner_->ctx_ && "Process used outside its fiber");
  return *owner_->ctx_;
}
NodeId Process::self() {
  return ctx().self();
}

std::optional<Message> Process::call(NodeId to, Payload request, Duration timeout) {
  uint64_t call_id = ctx().new_call_id();
  ctx().send_call(to, std::move(request), call_id);
  return owner_->wait(FiberNode::Wait::kCall, call_id, timeout);
}

void Process::send(NodeId to, Payload message) {
  ctx().send(to, std::move(message));
}

void Process::sleep(Duration d) {
  owner_->wait(FiberNode::Wait::kSleep, 0, d);
}

std::optional<Message> Process::receive(Duration timeout) {
  if (!owner_->mailbox_.empty()) {
    Message m = std::move(owner_->mailbox_.front());
    owner_->mailbox_.pop_front();
    return m;
  }
  return owner_->wait(FiberNode::Wait::kReceive, 0, timeout);
}

// --- FiberNode -------------------------------------------------------------------------------

FiberNode::~FiberNode() {
  // Destroying a suspended fiber unwinds its stack (forced_unwind) before the stack is pooled.
  fiber_ = {};
}

void FiberNode::on_start(Context& context) {
  fiber_ = ctx::fiber(std::allocator_arg, PooledStack{}, [this](ctx::fiber&& scheduler) {
    scheduler_ = std::move(scheduler);
    try {
      body_(process_);
    } catch (const ctx::detail::forced_unwind&) {
      throw;  // the fiber is being destroyed: let Boost.Context finish unwinding it
    } catch (...) {
      error_ = std::current_exception();  // rethrown on the scheduler's side
    }
    finished_ = true;
    return std::move(scheduler_);
  });
  resume(context);
}

void FiberNode::resume(Context& context) {
  ctx_ = &context;
  fiber_ = std::move(fiber_).resume();
  ctx_ = nullptr;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void FiberNode::yield() {
  scheduler_ = std::move(scheduler_).resume();
}

std::optional<Message> FiberNode::wait(Wait kind, uint64_t call_id, Duration timeout) {
  waiting_ = kind;
  awaited_call_ = call_id;
  woken_with_.reset();
  wait_timer_ = ctx_->set_timer(timeout);
  yield();
  waiting_ = Wait::kNothing;
  return std::exchange(woken_with_, std::nullopt);
}

void FiberNode::on_message(Context& context, const Message& message) {
  if (finished_) return;
  if (message.is_reply) {
    // A reply to a call we stopped waiting for (timed out) is late: dropped, as a real client
    // would after closing the request.
    if (waiting_ != Wait::kCall || message.call_id != awaited_call_) return;
  } else if (waiting_ != Wait::kReceive) {
    mailbox_.push_back(message);
    return;
  }
  context.cancel_timer(wait_timer_);
  woken_with_ = message;
  resume(context);
}

void FiberNode::on_timer(Context& context, TimerId timer, uint64_t) {
  if (finished_ || waiting_ == Wait::kNothing || !(timer == wait_timer_)) return;
  resume(context);
}

}  // namespace faultline::sim
