#pragma once

// A grow-only set (Knossos' set): `add` an element, `read` returning all elements (a json
// array, order irrelevant). Elements are interned; the state is the id of the sorted vector of
// element ids, so equal sets are equal ids.

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "checkers/models/model.hpp"

namespace faultline::checkers::models {

class SetModel {
 public:
  using State = std::uint32_t;
  struct Op {
    bool is_add = false;
    bool known = false;
    std::uint32_t value = 0;  // add: element id; read: id of the set read
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = "set";

  State init() const { return empty_; }

  std::optional<State> step(State s, const Op& op) {
    if (!op.is_add) {
      if (op.known && op.value != s) return std::nullopt;
      return s;
    }
    auto key = TransitionMemo::key(s, op.value);
    if (const std::uint32_t* next = memo_.find(key)) return *next;
    std::vector<std::int32_t> items = sets_.get(s);
    auto element = static_cast<std::int32_t>(op.value);
    auto at = std::lower_bound(items.begin(), items.end(), element);
    if (at == items.end() || *at != element) items.insert(at, element);
    std::uint32_t next = sets_.intern(items);
    memo_.put(key, next);
    return next;
  }

  std::uint64_t hash(State s) const { return mix64(s); }
  std::size_t memory_bytes() const { return sets_.memory_bytes() + memo_.memory_bytes(); }
  bool is_read_only(const Op& op) const { return !op.is_add; }

  std::string describe_state(State s) const { return describe_set(s); }
  std::string describe_op(const Op& op) const {
    if (op.is_add) return "add(" + values_->describe(static_cast<std::int32_t>(op.value)) + ")";
    return "read() -> " + (op.known ? describe_set(op.value) : std::string("?"));
  }

  Op encode(const CallReturn& c) {
    Op op;
    op.known = c.output_known;
    if (c.f == "add") {
      op.is_add = true;
      op.value = static_cast<std::uint32_t>(values_->intern(c.input));
      if (c.input.is_null()) bad_value(c.call_line, "an element to add", c.input);
    } else if (c.f == "read") {
      if (op.known) {
        if (!c.output.is_array()) bad_value(c.ret_line, "a json array of elements", c.output);
        std::vector<std::int32_t> items;
        for (const auto& e : c.output) items.push_back(values_->intern(e));
        std::sort(items.begin(), items.end());
        items.erase(std::unique(items.begin(), items.end()), items.end());
        op.value = sets_.intern(items);
      }
    } else {
      bad_value(c.call_line, "f add or read", nlohmann::json(c.f));
    }
    return op;
  }

 private:
  std::string describe_set(State s) const {
    std::string out = "#{";
    const auto& items = sets_.get(s);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ' ';
      out += values_->describe(items[i]);
    }
    return out + "}";
  }

  std::shared_ptr<ValueTable> values_ = std::make_shared<ValueTable>();
  VectorInterner<std::int32_t> sets_;
  TransitionMemo memo_;
  State empty_ = sets_.intern({});
};

}  // namespace faultline::checkers::models
