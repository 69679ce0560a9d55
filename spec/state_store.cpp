#include "spec/state_store.hpp"

#include <algorithm>
#include <cstring>

#include "base/hash.hpp"

namespace faultline::spec {

StateStore::StateStore(size_t state_size) : state_size_(state_size == 0 ? 1 : state_size) {
  bits_ = 12;
  table_.assign(uint64_t{1} << bits_, 0);
  mask_ = table_.size() - 1;
}

uint64_t StateStore::hash(const std::byte* state, size_t size) {
  // Eight bytes at a time, each word folded in with a multiply; then SplitMix64's finalizer, so
  // that both halves of the result are well mixed (the table uses the low bits to place a state
  // and the high bits as its tag).
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ size;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, state + i, 8);
    h = (h ^ word) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
  }
  if (i < size) h = (h ^ short_word(state + i, size - i)) * 0xbf58476d1ce4e5b9ULL;
  return splitmix64_finalizer(h);
}

bool StateStore::same(uint32_t index, const std::byte* state) const {
  return equal(this->state(index), state, state_size_);
}

int64_t StateStore::find(const std::byte* state, uint64_t hash) const {
  const uint64_t tag = hash >> 32;
  for (uint64_t slot = home(tag);; slot = (slot + 1) & mask_) {
    const uint64_t entry = table_[slot];
    if (entry == 0) return -1;
    if ((entry >> 32) == tag) {
      const auto index = static_cast<uint32_t>(entry) - 1;
      if (same(index, state)) return index;
    }
  }
}

uint32_t StateStore::insert(const std::byte* state, uint64_t hash, uint32_t parent,
                            uint16_t action) {
  const auto index = static_cast<uint32_t>(parents_.size());
  if ((index & kBlockMask) == 0) {
    blocks_.push_back(std::make_unique<std::byte[]>((kBlockMask + 1) * state_size_));
  }
  copy(blocks_.back().get() + (index & kBlockMask) * state_size_, state, state_size_);
  parents_.push_back(parent);
  actions_.push_back(action);
  // Linear probing stays short below a load of 5/8.
  if ((parents_.size()) * 8 > table_.size() * 5) grow_table();
  uint64_t slot = home(hash >> 32);
  while (table_[slot] != 0) slot = (slot + 1) & mask_;
  table_[slot] = ((hash >> 32) << 32) | (uint64_t{index} + 1);
  return index;
}

void StateStore::grow_table() {
  // The entries are re-placed from their tags, read in slot order: a tag's new home is twice its
  // old one or one more, so the writes move forward through the new table as the reads do (a run
  // of entries that wrapped past the old table's end is read first to keep that order). Any order
  // would give a valid table; this one streams through memory.
  std::vector<uint64_t> old(uint64_t{1} << (bits_ + 1), 0);
  old.swap(table_);
  ++bits_;
  mask_ = table_.size() - 1;
  uint64_t start = 0;
  while (start < old.size() && old[start] != 0) ++start;  // the first empty slot of the old table
  for (uint64_t k = 0; k < old.size(); ++k) {
    const uint64_t entry = old[(start + k) & (old.size() - 1)];
    if (entry == 0) continue;
    uint64_t slot = home(entry >> 32);
    while (table_[slot] != 0) slot = (slot + 1) & mask_;
    table_[slot] = entry;
  }
}

uint64_t StateStore::bytes_after_insert() const {
  const uint64_t n = parents_.size() + 1;
  uint64_t bytes = this->bytes();
  if ((parents_.size() & kBlockMask) == 0) bytes += (kBlockMask + 1) * state_size_;
  // std::vector doubles its capacity when full.
  if (parents_.size() == parents_.capacity())
    bytes += std::max<uint64_t>(parents_.capacity(), 1) * 4;
  if (actions_.size() == actions_.capacity())
    bytes += std::max<uint64_t>(actions_.capacity(), 1) * 2;
  if (n * 8 > table_.size() * 5) bytes += table_.size() * 2 * 8;  // both tables while growing
  return bytes;
}

uint64_t StateStore::bytes() const {
  return blocks_.size() * (kBlockMask + 1) * state_size_ + parents_.capacity() * 4 +
         actions_.capacity() * 2 + table_.capacity() * 8;
}

}  // namespace faultline::spec
