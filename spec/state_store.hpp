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
  // Most models' states are a few words: compared and copied inline rather than through calls to
  // memcmp and memcpy with a size known only at run time.
  static bool equal(const std::byte* a, const std::byte* b, size_t size) {
    if (size <= 16) {
      uint64_t x[2] = {0, 0}, y[2] = {0, 0};
      std::memcpy(x, a, size);
      std::memcpy(y, b, size);
      return x[0] == y[0] && x[1] == y[1];
    }
    return std::memcmp(a, b, size) == 0;
  }

 private:
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
