#pragma once

// A FIFO queue (Knossos' unordered-queue made strict): `enqueue` a value, `dequeue` returning
// the value at the head, or null when the queue was empty. The state is the id of the interned
// sequence of element ids.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "checkers/models/model.hpp"

namespace faultline::checkers::models {

class QueueModel {
 public:
  using State = std::uint32_t;
  struct Op {
    bool is_enqueue = false;
    bool known = false;
    std::int32_t value = ValueTable::kNil;  // enqueue: element; dequeue: element (nil: empty)
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = "queue";

  State init() const { return empty_; }

  std::optional<State> step(State s, const Op& op) {
    if (!op.is_enqueue) {
      const auto& items = sequences_.get(s);
      if (items.empty()) {
        if (op.known && op.value != ValueTable::kNil) return std::nullopt;
        return s;
      }
      if (op.known && op.value != items.front()) return std::nullopt;
    }
    // Enqueue of x is memoized under x + 1, dequeue under 0.
    auto arg = op.is_enqueue ? static_cast<std::uint32_t>(op.value) + 1 : 0u;
    auto key = TransitionMemo::key(s, arg);
    if (const std::uint32_t* next = memo_.find(key)) return *next;
    std::vector<std::int32_t> items = sequences_.get(s);
    if (op.is_enqueue) {
      items.push_back(op.value);
    } else {
      items.erase(items.begin());
    }
    std::uint32_t next = sequences_.intern(items);
    memo_.put(key, next);
    return next;
  }

  std::uint64_t hash(State s) const { return mix64(s); }
  std::size_t memory_bytes() const { return sequences_.memory_bytes() + memo_.memory_bytes(); }
  // Only a dequeue that saw the queue empty.
  bool is_read_only(const Op& op) const {
    return !op.is_enqueue && op.known && op.value == ValueTable::kNil;
  }

  std::string describe_state(State s) const {
    std::string out = "[";
    const auto& items = sequences_.get(s);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ' ';
      out += values_->describe(items[i]);
    }
    return out + "]";
  }
  std::string describe_op(const Op& op) const {
    if (op.is_enqueue) return "enqueue(" + values_->describe(op.value) + ")";
    return "dequeue() -> " + (op.known ? values_->describe(op.value) : std::string("?"));
  }

  Op encode(const CallReturn& c) {
    Op op;
    op.known = c.output_known;
    if (c.f == "enqueue") {
      op.is_enqueue = true;
      if (c.input.is_null()) bad_value(c.call_line, "a value to enqueue", c.input);
      op.value = values_->intern(c.input);
    } else if (c.f == "dequeue") {
      if (op.known) op.value = values_->intern(c.output);
    } else {
      bad_value(c.call_line, "f enqueue or dequeue", nlohmann::json(c.f));
    }
    return op;
  }

 private:
  std::shared_ptr<ValueTable> values_ = std::make_shared<ValueTable>();
  VectorInterner<std::int32_t> sequences_;
  TransitionMemo memo_;
  State empty_ = sequences_.intern({});
};

}  // namespace faultline::checkers::models
