#pragma once

// A counter (Knossos' counter, without its range relaxation): `add` with an integer value
// (null means 1), `read` returning the integer. Starts at 0.

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

  Op encode(const CallReturn& c) const {
    Op op;
    op.known = c.output_known;
    if (c.f == "add" || c.f == "inc") {
      op.is_add = true;
      if (c.input.is_null()) {
        op.value = 1;
      } else if (c.input.is_number_integer()) {
        op.value = c.input.get<std::int64_t>();
      } else {
        bad_value(c.call_line, "an integer to add", c.input);
      }
    } else if (c.f == "read") {
      if (op.known) {
        if (!c.output.is_number_integer()) bad_value(c.ret_line, "an integer read", c.output);
        op.value = c.output.get<std::int64_t>();
      }
    } else {
      bad_value(c.call_line, "f add or read", nlohmann::json(c.f));
    }
    return op;
  }
};

}  // namespace faultline::checkers::models
