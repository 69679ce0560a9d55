#pragma once

// Many independent objects addressed by key (Jepsen's `independent`): every operation's value is
// [key, v] and the inner model sees v. Linearizability is compositional (Herlihy & Wing, the
// locality theorem; Horn & Kroening's P-compositionality), so the checker normally splits the
// history by key and checks each key with the inner model alone. This type is the whole-map model
// for when it does not: its state is the id of the interned tuple of per-key inner states.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checkers/models/model.hpp"

namespace faultline::checkers::models {

template <typename Inner>
class Keyed {
 public:
  using State = std::uint32_t;
  struct Op {
    std::uint32_t key = 0;
    typename Inner::Op inner;
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = Inner::kName;

  // Every key's inner state must be known before init: call after encoding all operations.
  State init() {
    std::vector<typename Inner::State> all(keys_.size(), inner_.init());
    return tuples_.intern(all);
  }

  std::optional<State> step(State s, const Op& op) {
    auto current = tuples_.get(s)[op.key];
    std::optional<typename Inner::State> next = inner_.step(current, op.inner);
    if (!next) return std::nullopt;
    if (*next == current) return s;
    std::vector<typename Inner::State> tuple = tuples_.get(s);
    tuple[op.key] = *next;
    return tuples_.intern(tuple);
  }

  std::uint64_t hash(State s) const { return mix64(s); }
  bool is_read_only(const Op& op) const { return detail_read_only(op.inner); }
  std::size_t memory_bytes() const {
    std::size_t inner = 0;
    if constexpr (requires { inner_.memory_bytes(); }) inner = inner_.memory_bytes();
    return inner + tuples_.memory_bytes();
  }

  std::string describe_state(State s) const {
    std::string out = "{";
    const auto& tuple = tuples_.get(s);
    for (std::size_t k = 0; k < tuple.size(); ++k) {
      if (k > 0) out += ", ";
      out += keys_[k] + ": " + inner_.describe_state(tuple[k]);
    }
    return out + "}";
  }
  std::string describe_op(const Op& op) const {
    return keys_[op.key] + " " + inner_.describe_op(op.inner);
  }

  Op encode(const CallReturn& c) {
    if (!c.input.is_array() || c.input.size() != 2) {
      bad_value(c.call_line, "a keyed value [key, v]", c.input);
    }
    CallReturn unwrapped = c;
    unwrapped.input = c.input[1];
    if (c.output_known) {
      if (!c.output.is_array() || c.output.size() != 2 || c.output[0] != c.input[0]) {
        bad_value(c.ret_line, "a keyed value [" + c.input[0].dump() + ", v]", c.output);
      }
      unwrapped.output = c.output[1];
    }
    Op op;
    op.key = intern_key(c.input[0].dump());
    op.inner = inner_.encode(unwrapped);
    return op;
  }

  std::uint32_t intern_key(const std::string& key) {
    auto [it, inserted] = key_ids_.try_emplace(key, static_cast<std::uint32_t>(keys_.size()));
    if (inserted) keys_.push_back(key);
    return it->second;
  }
  std::size_t key_count() const { return keys_.size(); }
  const std::string& key_name(std::uint32_t key) const { return keys_[key]; }
  Inner& inner() { return inner_; }
  const Inner& inner() const { return inner_; }

 private:
  bool detail_read_only(const typename Inner::Op& op) const {
    if constexpr (requires { inner_.is_read_only(op); }) {
      return inner_.is_read_only(op);
    } else {
      return false;
    }
  }

  Inner inner_;
  std::unordered_map<std::string, std::uint32_t> key_ids_;  // lookups only
  std::vector<std::string> keys_;
  VectorInterner<typename Inner::State> tuples_;
};

}  // namespace faultline::checkers::models
