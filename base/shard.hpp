#pragma once
// One shard of an exhaustive search split across machines or CI jobs (docs/model-checking.md,
// "Sharding a search"). Every shard searches breadth-first, alike, until the first level that
// holds at least kSplitWidth states per shard; each state of that level goes to one shard by a
// hash of the state (a model state's bytes, a world's fingerprint), and from then on a shard
// expands only its own. Every state deeper than the split lies on a shortest path through one
// state of the split level, so the shards together reach every state one search reaches, and
// the shard that owns that path finds a shortest violation at its true length. A state reachable
// from states of two shards is reached, and counted, by both.

#include <cstdint>

#include "base/hash.hpp"

namespace faultline {

struct SearchShard {
  static constexpr uint64_t kSplitWidth = 8;

  uint32_t index = 0;  // 0-based: --shard 1/4 is index 0 of count 4
  uint32_t count = 1;

  bool sharded() const { return count > 1; }
  // Whether a level of this many states is where the search splits (the first such level).
  bool splits_at(uint64_t level_states) const {
    return sharded() && level_states >= kSplitWidth * count;
  }
  // Whether a state of the split level, hashed to `key`, is this shard's to expand.
  bool owns(uint64_t key) const { return splitmix64_finalizer(key) % count == index; }
};

}  // namespace faultline
