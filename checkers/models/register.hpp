#pragma once

// A read/write register (Knossos' `register`), and with compare-and-set, `cas-register`.
//
//   read    invoke value ignored; ok value = the value read (null: never written)
//   write   value v
//   cas     value [old, new]; ok value [old, new] or true = it swapped; false = it ran and saw a
//           value other than old (etcd's failed cas: it constrains the order, unlike a Jepsen
//           :fail, which says the cas never happened and is dropped)
//
// Values are any json, interned: the state is one int32 and the initial value is nil.

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/models/model.hpp"

namespace faultline::checkers::models {

template <bool kWithCas>
class BasicRegister {
 public:
  using State = std::int32_t;
  struct Op {
    enum Kind : std::uint8_t { read, write, cas };
    Kind kind = read;
    bool known = false;                 // output known (ok), not info
    bool swapped = true;                // cas: the output said it swapped
    std::int32_t a = ValueTable::kNil;  // read: value read; write: value; cas: old
    std::int32_t b = ValueTable::kNil;  // cas: new
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = kWithCas ? "cas-register" : "register";

  State init() const { return ValueTable::kNil; }

  std::optional<State> step(State s, const Op& op) const {
    switch (op.kind) {
      case Op::read:
        if (op.known && op.a != s) return std::nullopt;
        return s;
      case Op::write:
        return op.a;
      case Op::cas:
        if (!op.known) return s == op.a ? op.b : s;
        if (op.swapped) {
          if (s != op.a) return std::nullopt;
          return op.b;
        }
        if (s == op.a) return std::nullopt;
        return s;
    }
    return std::nullopt;
  }

  std::uint64_t hash(State s) const { return mix64(static_cast<std::uint32_t>(s)); }
  // Which operations the search may leave out (registry.cpp, drop_unobserved): with no cas in
  // the history, a write whose outcome is unknown and whose value no read returned. Leaving it
  // out is choosing "it never took effect", which an unknown outcome allows, and loses no order:
  // until the next write only reads follow it, none of which returned its value. A cas sees a
  // value by swapping it or failing to match it, so a history with one keeps everything.
  std::vector<bool> unobserved(const std::vector<Op>& ops) const {
    std::vector<bool> out(ops.size(), false);
    std::vector<std::int32_t> read;
    for (const Op& op : ops) {
      if (op.kind == Op::cas) return out;
      if (op.kind == Op::read && op.known) read.push_back(op.a);
    }
    std::sort(read.begin(), read.end());
    for (std::size_t i = 0; i < ops.size(); ++i) {
      out[i] = ops[i].kind == Op::write && !ops[i].known &&
               !std::binary_search(read.begin(), read.end(), ops[i].a);
    }
    return out;
  }
  // A read, or a cas that saw another value: legal only where it changes nothing.
  bool is_read_only(const Op& op) const {
    return op.kind == Op::read || (op.kind == Op::cas && op.known && !op.swapped);
  }
  std::string describe_state(State s) const { return values_->describe(s); }

  std::string describe_op(const Op& op) const {
    const ValueTable& v = *values_;
    switch (op.kind) {
      case Op::read:
        return "read() -> " + (op.known ? v.describe(op.a) : std::string("?"));
      case Op::write:
        return "write(" + v.describe(op.a) + ")";
      case Op::cas:
        return "cas(" + v.describe(op.a) + ", " + v.describe(op.b) + ") -> " +
               (!op.known    ? "?"
                : op.swapped ? "true"
                             : "false");
    }
    return "?";
  }

  Op encode(const CallReturn& c) {
    Op op;
    op.known = c.output_known;
    if (c.f == "read") {
      op.kind = Op::read;
      if (op.known) op.a = values_->intern(c.output);
    } else if (c.f == "write") {
      op.kind = Op::write;
      op.a = values_->intern(c.input);
    } else if (kWithCas && c.f == "cas") {
      op.kind = Op::cas;
      if (!c.input.is_array() || c.input.size() != 2) {
        bad_value(c.call_line, "cas value [old, new]", c.input);
      }
      op.a = values_->intern(c.input[0]);
      op.b = values_->intern(c.input[1]);
      if (op.known) {
        if (c.output.is_boolean()) {
          op.swapped = c.output.get<bool>();
        } else if (c.output != c.input) {
          bad_value(c.ret_line, "cas result true, false or [old, new]", c.output);
        }
      }
    } else {
      bad_value(c.call_line, kWithCas ? "f read, write or cas" : "f read or write",
                nlohmann::json(c.f));
    }
    return op;
  }

 private:
  std::shared_ptr<ValueTable> values_ = std::make_shared<ValueTable>();
};

using RegisterModel = BasicRegister<false>;
using CasRegisterModel = BasicRegister<true>;

}  // namespace faultline::checkers::models
