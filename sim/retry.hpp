#pragma once
// Retrying a fiber call over a set of interchangeable servers: each attempt waits
// `call_timeout`; between attempts the caller backs off, except when the reply redirected it to
// another server it knows (a leader hint), which it tries at once. The caller keeps its place in
// the rotation from one operation to the next, as a client keeps the leader it last found.
//
// What a reply means (done, "ask X", "not ready here yet", "try elsewhere") is the protocol's
// business: the caller passes a classifier. The loop itself (timeouts, backoff, rotating over
// targets, a deadline on the local clock, a cap on attempts) is a property of fiber calls in
// general, so it lives here for every protocol family.

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "sim/fiber.hpp"

namespace faultline::sim {

struct RetryPolicy {
  Duration call_timeout = milliseconds(100);  // one attempt at one target
  Duration backoff = milliseconds(20);        // before the next attempt, unless redirected
  Duration give_up_after = seconds(1);        // on the caller's monotonic clock, from the start
  int max_attempts = 0;                       // calls made at most (0: no limit)

  // A call that must get through, however long it takes (a client that cannot go on without
  // the answer): no deadline, no cap, the next attempt `backoff` after a failed one (zero: at
  // once, as a resend after a timeout).
  static RetryPolicy until_answered(Duration call_timeout, Duration backoff = {}) {
    return {call_timeout, backoff, Duration{}, 0};
  }
};

// What the caller makes of one attempt: its reply, or nullopt after a timeout.
struct RetryStep {
  enum class Kind : uint8_t {
    kDone,  // the answer: the call returns it
    kStay,  // the right target, not ready yet: the same one after the backoff
    kNext,  // the next target in turn, after the backoff
  };
  Kind kind = Kind::kNext;
  // A target the reply named (a leader hint): tried next, without backing off, if it is one of
  // the targets and not the one just called; otherwise `kind` decides.
  NodeId redirect = kNoNode;

  static RetryStep done() { return {Kind::kDone, kNoNode}; }
  static RetryStep stay(NodeId redirect = kNoNode) { return {Kind::kStay, redirect}; }
  static RetryStep next(NodeId redirect = kNoNode) { return {Kind::kNext, redirect}; }
};

using RetryClassifier = std::function<RetryStep(const std::optional<Message>& reply)>;

// The targets a caller rotates over, and the one it will call next.
class RetryTargets {
 public:
  RetryTargets(std::vector<NodeId> targets, size_t first) : targets_(std::move(targets)) {
    current_ = targets_.empty() ? 0 : first % targets_.size();
  }

  const std::vector<NodeId>& targets() const { return targets_; }
  NodeId current() const { return targets_[current_]; }

  // Calls `request` until `classify` says done (that reply), or the policy's deadline or attempt
  // cap is reached (nullopt). Every attempt sends a copy of `request`. A zero `give_up_after`
  // sets no deadline; a zero `backoff` sends the next attempt at once (no timer).
  std::optional<Message> call(Process& co, const Payload& request, const RetryPolicy& policy,
                              const RetryClassifier& classify);

 private:
  std::vector<NodeId> targets_;
  size_t current_ = 0;
};

}  // namespace faultline::sim
