#pragma once

// What a model is, and the small pieces every model shares.
//
// A model is a sequential specification: a value type with
//
//   using State = ...;        // trivially copyable, ==, a few bytes: the checker stores millions
//   struct Op { ... };        // one operation's input and output, already compact (no json)
//   static constexpr std::string_view kName;
//   State init() const;
//   std::optional<State> step(const State& s, const Op& op);  // nullopt: op cannot happen in s
//   std::uint64_t hash(const State& s) const;
//   std::string describe_state(const State& s) const;
//   std::string describe_op(const Op& op) const;
//   Op encode(const CallReturn& call);  // json -> Op, throws InputError (line only, no file)
//
// Values that are not small integers (json values, strings, sets, sequences) are interned into
// ids when the history is encoded, or when a step creates a new one; the tables live in the model
// object, so the checker copies the model once per partition and each thread owns its copy. Only
// encode touches json: the search loop sees integers.
//
// An operation whose output is unknown (info) is still stepped: its return is at +infinity, so
// the search may place it last, where its effect is unobservable - which is how "it may never
// have happened" is expressed without a nondeterministic step.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/hash.hpp"
#include "checkers/history.hpp"
#include "checkers/input_error.hpp"

namespace faultline::checkers::models {

// A value in an operation that does not fit the model. The file is added by the caller.
[[noreturn]] inline void bad_value(std::size_t line, const std::string& expected,
                                   const nlohmann::json& got) {
  throw InputError("", line, expected, got.dump());
}

// Interned json values. Null is kNil: the initial value of registers, "no value read".
// Frozen after encoding; partitions share it read-only.
class ValueTable {
 public:
  static constexpr std::int32_t kNil = -1;

  std::int32_t intern(const nlohmann::json& v) {
    if (v.is_null()) return kNil;
    std::string text = v.dump();
    auto [it, inserted] = ids_.try_emplace(text, static_cast<std::int32_t>(values_.size()));
    if (inserted) values_.push_back(std::move(text));
    return it->second;
  }
  std::string describe(std::int32_t id) const {
    return id == kNil ? std::string("nil") : values_[static_cast<std::size_t>(id)];
  }

 private:
  std::unordered_map<std::string, std::int32_t> ids_;  // lookups only, never iterated
  std::vector<std::string> values_;
};

// Interns vectors of small integers (sets, sequences, per-key state tuples) into dense ids, so a
// model state holding one of them is a single uint32 the checker can copy and compare for free.
template <typename Element>
class VectorInterner {
 public:
  std::uint32_t intern(const std::vector<Element>& v) {
    auto [it, inserted] = ids_.try_emplace(v, static_cast<std::uint32_t>(items_.size()));
    if (inserted) {
      items_.push_back(&it->first);
      // A node, its vector header, the elements and the index entry, roughly.
      bytes_ += 64 + sizeof(std::vector<Element>) + v.size() * sizeof(Element);
    }
    return it->second;
  }
  const std::vector<Element>& get(std::uint32_t id) const { return *items_[id]; }
  std::size_t memory_bytes() const { return bytes_; }

 private:
  struct Hash {
    std::size_t operator()(const std::vector<Element>& v) const {
      std::uint64_t h = v.size();
      for (const Element& e : v) h = mix64(h ^ static_cast<std::uint64_t>(e));
      return static_cast<std::size_t>(h);
    }
  };
  // Node-based map: element addresses stay valid as it grows, so items_ can point into it.
  std::unordered_map<std::vector<Element>, std::uint32_t, Hash> ids_;
  std::vector<const std::vector<Element>*> items_;
  std::size_t bytes_ = 0;
};

// An open-addressing map from 64-bit keys to 32-bit values, for the lookups a model makes on
// every step (transitions, trie edges): no node allocation, one probe in the common case.
class FlatMap64 {
 public:
  const std::uint32_t* find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  void put(std::uint64_t key, std::uint32_t value) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (!s.used) {
        s = Slot{key, value, true};
        ++size_;
        return;
      }
      if (s.key == key) {
        s.value = value;
        return;
      }
    }
  }
  std::size_t memory_bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = 0;
    bool used = false;
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    size_ = 0;
    for (const Slot& s : old) {
      if (s.used) put(s.key, s.value);
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

// Memo of deterministic transitions (state id, argument) -> state id, so a step that builds a
// new interned value (append, add, enqueue) costs one lookup the second time.
class TransitionMemo {
 public:
  static std::uint64_t key(std::uint32_t state, std::uint32_t arg) {
    return (static_cast<std::uint64_t>(state) << 32) | arg;
  }
  const std::uint32_t* find(std::uint64_t k) const { return memo_.find(k); }
  void put(std::uint64_t k, std::uint32_t v) { memo_.put(k, v); }
  std::size_t memory_bytes() const { return memo_.memory_bytes(); }

 private:
  FlatMap64 memo_;
};

}  // namespace faultline::checkers::models
