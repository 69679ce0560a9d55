#pragma once
// What a node's fingerprint is made of, when it gives its own state (Node::fingerprint_state,
// docs/model-checking.md "Node-state fingerprints"): words, strings and ranges fed in a fixed
// order into one 64-bit hash. An unordered container must be fed in a sorted order (or kept in an
// ordered one): the hash of a state must not depend on the order it was built in.

#include <concepts>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <type_traits>

#include "base/hash.hpp"

namespace faultline::sim {

class StateHasher {
 public:
  StateHasher& add(uint64_t word) {
    h_ = mix64(h_ ^ mix64(word));
    return *this;
  }
  StateHasher& add(std::string_view text) {
    // The length first: "ab","c" and "a","bc" are two states.
    add(text.size());
    return add(fnv1a(text));
  }
  StateHasher& add(const char* text) { return add(std::string_view(text)); }
  template <class T>
  requires(std::is_integral_v<T> || std::is_enum_v<T>) StateHasher& add(T value) {
    return add(static_cast<uint64_t>(value));
  }
  // A time or duration (sim/time.hpp): its nanoseconds, as the integer they are.
  template <class T>
  requires requires(const T& t) {
    { t.ns() } -> std::convertible_to<int64_t>;
  }
  StateHasher& add(const T& time) { return add(static_cast<uint64_t>(time.ns())); }
  template <class T>
  StateHasher& add(const std::optional<T>& value) {
    add(value.has_value());
    if (value) add(*value);
    return *this;
  }
  // An ordered range (std::set, std::map keys, a vector whose order is state): its size, then
  // each element by `each(hasher, element)`.
  template <class Range, class Each>
  StateHasher& add_range(const Range& range, Each&& each) {
    add(static_cast<uint64_t>(std::size(range)));
    for (const auto& element : range) each(*this, element);
    return *this;
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 0x6e6f6465'73746174ULL;
};

}  // namespace faultline::sim
