#pragma once
// Every distinct state a search has reached, stored exactly (all of its bytes, never a
// fingerprint alone, so no collision can hide a state), with the state and action it was first
// reached from, for counterexample paths. States live in fixed blocks that never move, so a
// pointer to one stays valid while others are added; an open-addressing table of 64-bit slots
// (the hash's high 32 bits as a tag, then the index) finds them, comparing bytes only when the
// tags agree. A state's slot is chosen by the tag's own high bits, so that the table grows from
// the tags alone, in one pass in slot order, without reading a stored state again.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace faultline::spec {

class StateStore {
 public:
  static constexpr uint32_t kNoParent = UINT32_MAX;
  // At most this many distinct states (docs/limits.md): the table has at most 2^32 slots, filled
  // to 5/8 at most (and indices are 32-bit).
  static constexpr uint64_t kMaxStates = (uint64_t{1} << 32) / 8 * 5 - 1;

  explicit StateStore(size_t state_size);

  // The index of `state` if stored, else -1.
  int64_t find(const std::byte* state, uint64_t hash) const;
  // Stores a state not yet stored (find returned -1); returns its index.
  uint32_t insert(const std::byte* state, uint64_t hash, uint32_t parent, uint16_t action);

  // Starts fetching the table slot a look-up of `hash` will read first.
  void prefetch(uint64_t hash) const { __builtin_prefetch(&table_[home(hash >> 32)]); }
  // Once that slot has come: starts fetching the stored state its entry names, if the entry's
  // tag is the hash's (the state is then most likely the one looked up, about to be compared).
  void prefetch_state(uint64_t hash) const {
    const uint64_t entry = table_[home(hash >> 32)];
    if (entry != 0 && (entry >> 32) == (hash >> 32)) {
      __builtin_prefetch(state(static_cast<uint32_t>(entry) - 1));
    }
  }

  const std::byte* state(uint32_t index) const {
    return blocks_[index >> kBlockShift].get() + (index & kBlockMask) * state_size_;
  }
  uint32_t parent(uint32_t index) const { return parents_[index]; }
  uint16_t action(uint32_t index) const { return actions_[index]; }
  void set_parent(uint32_t index, uint32_t parent, uint16_t action) {
    parents_[index] = parent;
    actions_[index] = action;
  }
  uint64_t size() const { return parents_.size(); }
  // Bytes held: states, parents, actions and the table.
  uint64_t bytes() const;
  // What bytes() will be once one more state is inserted (a new block, a grown table or array).
  uint64_t bytes_after_insert() const;

  static uint64_t hash(const std::byte* state, size_t size);
  // Most models' states are a few words: compared and copied inline, with loads of a constant
  // size (two that overlap when the size is not a multiple), rather than through calls to memcmp
  // and memcpy with a size known only at run time. The calls were a seventh of a search's time.
  static bool equal(const std::byte* a, const std::byte* b, size_t size) {
    if (size > 16) return std::memcmp(a, b, size) == 0;
    if (size >= 8) {
      return load<uint64_t>(a) == load<uint64_t>(b) &&
             load<uint64_t>(a + size - 8) == load<uint64_t>(b + size - 8);
    }
    return size == 0 || short_word(a, size) == short_word(b, size);
  }
  static void copy(std::byte* to, const std::byte* from, size_t size) {
    if (size >= 8 && size <= 16) {
      const auto head = load<uint64_t>(from), tail = load<uint64_t>(from + size - 8);
      std::memcpy(to, &head, 8);
      std::memcpy(to + size - 8, &tail, 8);
    } else {
      std::memcpy(to, from, size);
    }
  }
  // 1 to 7 bytes as one word; two runs of bytes of one size give the same word only if equal.
  static uint64_t short_word(const std::byte* p, size_t size) {
    if (size >= 4) return load<uint32_t>(p) | uint64_t{load<uint32_t>(p + size - 4)} << 32;
    return std::to_integer<uint64_t>(p[0]) | std::to_integer<uint64_t>(p[size / 2]) << 8 |
           std::to_integer<uint64_t>(p[size - 1]) << 16;
  }

 private:
  template <class Word>
  static Word load(const std::byte* p) {
    Word w;
    std::memcpy(&w, p, sizeof(Word));
    return w;
  }

  static constexpr unsigned kBlockShift = 16;
  static constexpr uint32_t kBlockMask = (1u << kBlockShift) - 1;

  // The first slot a tag's look-up reads: the tag's high bits (the table has at most 2^32 slots).
  uint64_t home(uint64_t tag) const { return tag >> (32 - bits_); }
  void grow_table();
  bool same(uint32_t index, const std::byte* state) const;

  size_t state_size_;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::vector<uint32_t> parents_;
  std::vector<uint16_t> actions_;
  std::vector<uint64_t> table_;  // 0: empty; else (hash >> 32) << 32 | (index + 1)
  uint64_t mask_ = 0;
  unsigned bits_ = 0;  // the table has 2^bits_ slots
};

}  // namespace faultline::spec
