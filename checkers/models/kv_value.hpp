#pragma once

// One key of a key-value store (Porcupine's kv model): `get` (also `read`) returns the string,
// `put` (also `write`) replaces it, `append` concatenates, and `cas` with value [expected, new]
// replaces it only if it holds `expected` (etcd's Txn on the value): ok true = it swapped, ok
// false = it ran and saw another value (which orders it, as in the cas-register model). A
// missing key reads as "" (null reads are taken as ""), so a cas expecting "" creates the key.
// Integer values are their decimal text (Jepsen's independent registers hold numbers). The
// state is a node of a radix trie holding every string the search has
// built: equal strings are the same node (a trie is canonical, unlike a tree of appended pieces,
// where "ab"+"c" and "a"+"bc" would differ), and a new state costs one or two nodes whose labels
// point into the text of the history instead of a copy of the whole string - a failing search on
// Porcupine's c50-bad builds millions of distinct strings, a passing one on c50-ok a hundred
// thousand.

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  // The most bytes unobserved() compares (unknown writes times the text of the values read).
  static constexpr std::size_t kMaxObservedWork = std::size_t{1} << 28;

  State init() const { return 0; }

  std::optional<State> step(State s, const Op& op) {
    switch (op.kind) {
      case Op::get:
        if (op.known && op.value != s) return std::nullopt;
        return s;
      case Op::put:
        return op.value;
      case Op::append: {
        // No transition memo: following an existing edge is a sibling scan and a short label
        // comparison, cheaper than a hash table that grows with every new string.
        const Piece& piece = pieces_[op.value];
        return walk(s, piece.off, piece.len);
      }
      case Op::cas:
        if (!op.known) return s == op.expected ? op.value : s;
        if (op.swapped != (s == op.expected)) return std::nullopt;
        return op.swapped ? op.value : s;
    }
    return std::nullopt;
  }

  std::uint64_t hash(State s) const { return mix64(s); }
  // Which of a key's operations the search may leave out (registry.cpp, drop_unobserved), on a
  // key without cas: an unknown-outcome put(v) when no get returned a value beginning with v,
  // and an unknown-outcome append(p) when no get returned a value containing p. Leaving one out
  // is choosing "it never took effect", which an unknown outcome allows; and any order with it
  // stays legal without it: until the next put every value begins with v (contains p), so no
  // get that returned one follows it there, and only gets see a value. A cas sees a value by
  // failing to match it too, so a key with one keeps everything; so does one whose comparisons
  // would cost more than kMaxObservedWork bytes.
  std::vector<bool> unobserved(const std::vector<Op>& ops) const {
    std::vector<bool> out(ops.size(), false);
    std::vector<std::uint32_t> read;
    std::size_t unknown = 0;
    for (const Op& op : ops) {
      if (op.kind == Op::cas) return out;
      if (op.kind == Op::get && op.known) read.push_back(op.value);
      if ((op.kind == Op::put || op.kind == Op::append) && !op.known) ++unknown;
    }
    std::sort(read.begin(), read.end());
    read.erase(std::unique(read.begin(), read.end()), read.end());
    std::vector<std::string> seen;
    std::size_t bytes = 0;
    for (std::uint32_t node : read) {
      seen.push_back(text(node));
      bytes += seen.back().size();
    }
    if (unknown * bytes > kMaxObservedWork) return out;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const Op& op = ops[i];
      if (op.known || (op.kind != Op::put && op.kind != Op::append)) continue;
      const std::string what = op.kind == Op::put
                                   ? text(op.value)
                                   : arena_->substr(pieces_[op.value].off, pieces_[op.value].len);
      out[i] = std::none_of(seen.begin(), seen.end(), [&](const std::string& value) {
        return op.kind == Op::put ? value.compare(0, what.size(), what) == 0
                                  : value.find(what) != std::string::npos;
      });
    }
    return out;
  }
  // A get, or a cas that saw another value: legal only where it changes nothing.
  bool is_read_only(const Op& op) const {
    return op.kind == Op::get || (op.kind == Op::cas && op.known && !op.swapped);
  }
  std::size_t memory_bytes() const { return nodes_.capacity() * sizeof(Node); }

  std::string describe_state(State s) const { return quoted(text(s)); }
  std::string describe_op(const Op& op) const {
    switch (op.kind) {
      case Op::get:
        return "get() -> " + (op.known ? quoted(text(op.value)) : std::string("?"));
      case Op::put:
        return "put(" + quoted(text(op.value)) + ")";
      case Op::append:
        return "append(" + quoted(arena_->substr(pieces_[op.value].off, pieces_[op.value].len)) +
               ")";
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
      if (op.known) op.value = node_of(string_of(c.output, c.ret_line));
    } else if (c.f == "put" || c.f == "write") {
      op.kind = Op::put;
      op.value = node_of(string_of(c.input, c.call_line));
    } else if (c.f == "append") {
      op.kind = Op::append;
      op.value = static_cast<std::uint32_t>(pieces_.size());
      auto [off, len] = store(string_of(c.input, c.call_line));
      pieces_.push_back(Piece{off, len});
    } else if (c.f == "cas") {
      op.kind = Op::cas;
      if (!c.input.is_array() || c.input.size() != 2) {
        bad_value(c.call_line, "cas value [expected, new]", c.input);
      }
      op.expected = node_of(string_of(c.input[0], c.call_line));
      op.value = node_of(string_of(c.input[1], c.call_line));
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
  // A value's text: a string as it is; an integer in decimal, so that Jepsen's registers of
  // numbers check too (5 and "5" are then one value); nil as "", a missing key.
  static std::string string_of(const nlohmann::json& v, std::size_t line) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return v.dump();
    bad_value(line, "a string or integer value", v);
  }

  // The node for text(s) + arena_[off, off + len), creating missing nodes. Labels are slices of
  // the arena, so a new string costs a node (two when an edge must be split), not its characters.
  std::uint32_t walk(std::uint32_t s, std::uint32_t off, std::uint32_t len) {
    const std::string& arena = *arena_;
    while (len > 0) {
      std::uint32_t child = child_starting_with(s, arena[off]);
      if (child == 0) return add_node(s, off, len);
      Node& edge = nodes_[child];
      std::uint32_t common = 1;
      std::uint32_t limit = std::min(edge.label_len, len);
      while (common < limit && arena[edge.label_off + common] == arena[off + common]) ++common;
      if (common < edge.label_len) child = split(child, common);
      s = child;
      off += common;
      len -= common;
    }
    return s;
  }

  std::uint32_t child_starting_with(std::uint32_t s, char ch) const {
    const std::string& arena = *arena_;
    for (std::uint32_t c = nodes_[s].first_child; c != 0; c = nodes_[c].next_sibling) {
      if (arena[nodes_[c].label_off] == ch) return c;
    }
    return 0;
  }

  std::uint32_t add_node(std::uint32_t parent, std::uint32_t off, std::uint32_t len) {
    auto id = static_cast<std::uint32_t>(nodes_.size());
    nodes_.push_back(Node{parent, 0, nodes_[parent].first_child, off, len});
    nodes_[parent].first_child = id;
    return id;
  }

  // Cuts `node`'s edge after `at` characters: a new node takes the first part and `node` (whose
  // id, a state the search may hold, keeps meaning the same string) hangs below it.
  std::uint32_t split(std::uint32_t node, std::uint32_t at) {
    auto mid = static_cast<std::uint32_t>(nodes_.size());
    Node n = nodes_[node];
    nodes_.push_back(Node{n.parent, node, n.next_sibling, n.label_off, at});
    for (std::uint32_t* link = &nodes_[n.parent].first_child;; link = &nodes_[*link].next_sibling) {
      if (*link == node) {
        *link = mid;
        break;
      }
    }
    Node& moved = nodes_[node];
    moved.parent = mid;
    moved.next_sibling = 0;
    moved.label_off += at;
    moved.label_len -= at;
    return mid;
  }

  // Appends text to the arena, for encoding only: the search never grows it.
  std::pair<std::uint32_t, std::uint32_t> store(const std::string& text) {
    auto off = static_cast<std::uint32_t>(arena_->size());
    arena_->append(text);
    return {off, static_cast<std::uint32_t>(text.size())};
  }
  std::uint32_t node_of(const std::string& text) {
    auto [off, len] = store(text);
    return walk(0, off, len);
  }

  std::string text(std::uint32_t s) const {
    std::vector<std::uint32_t> path;
    for (; s != 0; s = nodes_[s].parent) path.push_back(s);
    std::string out;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      out.append(*arena_, nodes_[*it].label_off, nodes_[*it].label_len);
    }
    return out;
  }
  static std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

  struct Node {
    std::uint32_t parent = 0;
    std::uint32_t first_child = 0;  // 0: none (the root is never a child)
    std::uint32_t next_sibling = 0;
    std::uint32_t label_off = 0;  // the edge from the parent: a slice of the arena
    std::uint32_t label_len = 0;
  };
  struct Piece {
    std::uint32_t off = 0;
    std::uint32_t len = 0;
  };

  // Every string of the history, written once while encoding and then only read, so copies of
  // the model (one per partition and thread) share it.
  std::shared_ptr<std::string> arena_ = std::make_shared<std::string>();
  std::vector<Piece> pieces_;        // append arguments, as slices of the arena
  std::vector<Node> nodes_{Node{}};  // node 0 is the root ""
};

}  // namespace faultline::checkers::models
