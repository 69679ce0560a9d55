#pragma once
// Where a key lives among N nodes: the placement strategies a key-value store on a ring chooses
// from, and the tutorial snippet they replace. Each maps a key to one node (its first replica);
// `successors` lists the next distinct nodes for replication.
//
//   modulo      hash(key) % N, the tutorial's. A join or leave re-homes about (N-1)/N of the keys.
//   ring        consistent hashing (Karger et al., STOC 1997): each node owns the arc before its
//               token on a 2^64 ring; a key goes to the first token at or after its hash. A join
//               moves only the keys the new node takes, about 1/(N+1) of them; with one token per
//               node the arcs are uneven (the largest about ln N / N of the ring).
//   ring-vnodes the same ring with V tokens per node (Dynamo's virtual nodes): the load evens out
//               as V grows, the deviation shrinking about as 1/sqrt(V).
//   rendezvous  highest random weight (Thaler & Ravishankar, 1998): each key goes to the node
//               whose hash(key, node) is largest. Minimal movement and even load, O(N) per lookup.
//   jump        jump consistent hash (Lamping & Veach, 2014): minimal movement, even load, no
//               memory; nodes are numbered 0..N-1, so only the last one can leave.
//
// Every hash here is our own (FNV-1a then SplitMix64's finalizer): the same key lands on the same
// node on every platform and compiler.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::protocols::ring {

enum class Strategy : uint8_t { kModulo, kRing, kRingVnodes, kRendezvous, kJump };

// "modulo", "ring", "ring-vnodes", "rendezvous", "jump".
std::string_view to_string(Strategy strategy);

// A 64-bit hash of a string, well mixed in every bit.
uint64_t key_hash(std::string_view key);

class Placement {
 public:
  virtual ~Placement() = default;
  // The node that holds `key` (an index into the node list the placement was built with).
  virtual size_t node_of(std::string_view key) const = 0;
  // Up to `count` distinct nodes for `key`, its home first (replication on the ring).
  virtual std::vector<size_t> successors(std::string_view key, size_t count) const = 0;
};

// A placement over `nodes` (names matter: tokens and weights are hashed from them, so a node
// keeps its place whatever the others do). `vnodes` is used by ring-vnodes only.
std::unique_ptr<Placement> make_placement(Strategy strategy, const std::vector<std::string>& nodes,
                                          size_t vnodes = 1);

}  // namespace faultline::protocols::ring
