#pragma once

// One key of a key-value store (Porcupine's kv model): `get` (also `read`) returns the string,
// `put` (also `write`) replaces it, `append` concatenates, and `cas` with value [expected, new]
// replaces it only if it holds `expected` (etcd's Txn on the value): ok true = it swapped, ok
// false = it ran and saw another value (which orders it, as in the cas-register model). A
// missing key reads as "" (null reads are taken as ""), so a cas expecting "" creates the key. The
// state is a node of a character trie holding every string the search has built: equal strings are
// the same node (a trie is canonical, unlike a tree of appended pieces, where "ab"+"c" and "a"+"bc"
// would differ), and a new state costs at most one node per appended character instead of a copy of
// the whole string - a failing search on Porcupine's c50-bad builds millions of distinct strings.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/models/model.hpp"

namespace faultline::checkers::models {

class KvValueModel {
 public:
  using State = std::uint32_t;  // trie node; 0 is ""
  struct Op {
    enum Kind : std::uint8_t { get, put, append, cas };
    Kind kind = get;
    bool known = false;
    bool swapped = true;         // cas: the output said it swapped
    std::uint32_t value = 0;     // get: node of the value read; put, cas: the new value's node;
                                 // append: piece id
    std::uint32_t expected = 0;  // cas: node of the value expected
    bool operator==(const Op&) const = default;
  };
  static constexpr std::string_view kName = "kv";

  State init() const { return 0; }

  std::optional<State> step(State s, const Op& op) {
    switch (op.kind) {
      case Op::get:
        if (op.known && op.value != s) return std::nullopt;
        return s;
      case Op::put:
        return op.value;
      case Op::append: {
        auto key = TransitionMemo::key(s, op.value);
        if (const std::uint32_t* next = memo_.find(key)) return *next;
        std::uint32_t next = walk(s, (*pieces_)[op.value]);
        memo_.put(key, next);
        return next;
      }
      case Op::cas:
        if (!op.known) return s == op.expected ? op.value : s;
        if (op.swapped != (s == op.expected)) return std::nullopt;
        return op.swapped ? op.value : s;
    }
    return std::nullopt;
  }

  std::uint64_t hash(State s) const { return mix64(s); }
  // A get, or a cas that saw another value: legal only where it changes nothing.
  bool is_read_only(const Op& op) const {
    return op.kind == Op::get || (op.kind == Op::cas && op.known && !op.swapped);
  }
  std::size_t memory_bytes() const {
    return memo_.memory_bytes() + edges_.memory_bytes() + parent_.capacity() * 5;
  }

  std::string describe_state(State s) const { return quoted(text(s)); }
  std::string describe_op(const Op& op) const {
    switch (op.kind) {
      case Op::get:
        return "get() -> " + (op.known ? quoted(text(op.value)) : std::string("?"));
      case Op::put:
        return "put(" + quoted(text(op.value)) + ")";
      case Op::append:
        return "append(" + quoted((*pieces_)[op.value]) + ")";
      case Op::cas:
        return "cas(" + quoted(text(op.expected)) + ", " + quoted(text(op.value)) + ") -> " +
               (!op.known    ? "?"
                : op.swapped ? "true"
                             : "false");
    }
    return "?";
  }

  Op encode(const CallReturn& c) {
    Op op;
    op.known = c.output_known;
    if (c.f == "get" || c.f == "read") {
      op.kind = Op::get;
      if (op.known) op.value = walk(0, string_of(c.output, c.ret_line));
    } else if (c.f == "put" || c.f == "write") {
      op.kind = Op::put;
      op.value = walk(0, string_of(c.input, c.call_line));
    } else if (c.f == "append") {
      op.kind = Op::append;
      op.value = static_cast<std::uint32_t>(pieces_->size());
      pieces_->push_back(string_of(c.input, c.call_line));
    } else if (c.f == "cas") {
      op.kind = Op::cas;
      if (!c.input.is_array() || c.input.size() != 2) {
        bad_value(c.call_line, "cas value [expected, new]", c.input);
      }
      op.expected = walk(0, string_of(c.input[0], c.call_line));
      op.value = walk(0, string_of(c.input[1], c.call_line));
      if (op.known) {
        if (c.output.is_boolean()) {
          op.swapped = c.output.get<bool>();
        } else if (c.output != c.input) {
          bad_value(c.ret_line, "cas result true, false or [expected, new]", c.output);
        }
      }
    } else {
      bad_value(c.call_line, "f get, put, append or cas", nlohmann::json(c.f));
    }
    return op;
  }

 private:
  static std::string string_of(const nlohmann::json& v, std::size_t line) {
    if (v.is_null()) return "";
    if (!v.is_string()) bad_value(line, "a string value", v);
    return v.get<std::string>();
  }

  // The node for text(s) + suffix, creating missing nodes.
  std::uint32_t walk(std::uint32_t s, std::string_view suffix) {
    for (char ch : suffix) {
      std::uint64_t edge = (static_cast<std::uint64_t>(s) << 8) | static_cast<unsigned char>(ch);
      if (const std::uint32_t* child = edges_.find(edge)) {
        s = *child;
        continue;
      }
      auto child = static_cast<std::uint32_t>(parent_.size());
      parent_.push_back(s);
      byte_.push_back(ch);
      edges_.put(edge, child);
      s = child;
    }
    return s;
  }

  std::string text(std::uint32_t s) const {
    std::string out;
    for (; s != 0; s = parent_[s]) out += byte_[s];
    return std::string(out.rbegin(), out.rend());
  }
  static std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

  std::shared_ptr<std::vector<std::string>> pieces_ =
      std::make_shared<std::vector<std::string>>();  // append arguments, frozen after encoding
  std::vector<std::uint32_t> parent_{0};             // node -> parent; node 0 is the root ""
  std::vector<char> byte_{'\0'};                     // node -> its last character
  FlatMap64 edges_;                                  // (node, character) -> child
  TransitionMemo memo_;
};

}  // namespace faultline::checkers::models
