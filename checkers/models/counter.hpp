#pragma once

// A counter (Knossos' counter, without its range relaxation): `add` with an integer value
// (null means 1), `read` returning the integer. Starts at 0.
//
// The state is a 64-bit integer, and every state the search can reach is the sum of some subset
// of the adds. A history whose adds' magnitudes sum past 2^63-1 is rejected when it is encoded
// (an input error naming the add that crosses the line): then no sum can overflow, and no read
// can be judged against a wrapped value. Saturating instead would accept impossible reads.

#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "checkers/models/model.hpp"

namespace faultline::checkers::models {

class CounterModel {
 public:
  using State = std::int64_t;
  struct Op {
    bool is_add = false;
    bool known = false;
    std::int64_t value = 0;  // add: amount; read: value read
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = "counter";
  static constexpr std::uint64_t kMaxTotal = std::numeric_limits<std::int64_t>::max();

  State init() const { return 0; }

  std::optional<State> step(State s, const Op& op) const {
    if (op.is_add) return s + op.value;
    if (op.known && op.value != s) return std::nullopt;
    return s;
  }

  std::uint64_t hash(State s) const { return mix64(static_cast<std::uint64_t>(s)); }
  bool is_read_only(const Op& op) const { return !op.is_add; }
  std::string describe_state(State s) const { return std::to_string(s); }
  std::string describe_op(const Op& op) const {
    if (op.is_add) return "add(" + std::to_string(op.value) + ")";
    return "read() -> " + (op.known ? std::to_string(op.value) : std::string("?"));
  }

  Op encode(const CallReturn& c) {
    Op op;
    op.known = c.output_known;
    if (c.f == "add" || c.f == "inc") {
      op.is_add = true;
      if (c.input.is_null()) {
        op.value = 1;
      } else if (auto v = json_int64(c.input)) {
        op.value = *v;
      } else {
        bad_value(c.call_line, "an integer to add (64-bit)", c.input);
      }
      std::uint64_t magnitude = op.value < 0 ? 0 - static_cast<std::uint64_t>(op.value)
                                             : static_cast<std::uint64_t>(op.value);
      if (magnitude > kMaxTotal - total_magnitude_) {
        bad_value(c.call_line, "adds whose magnitudes sum to at most 2^63-1 (a 64-bit counter)",
                  c.input);
      }
      total_magnitude_ += magnitude;
    } else if (c.f == "read") {
      if (op.known) {
        auto v = json_int64(c.output);
        if (!v) bad_value(c.ret_line, "an integer read (64-bit)", c.output);
        op.value = *v;
      }
    } else {
      bad_value(c.call_line, "f add or read", nlohmann::json(c.f));
    }
    return op;
  }

 private:
  std::uint64_t total_magnitude_ = 0;  // of the adds encoded so far
};

}  // namespace faultline::checkers::models
