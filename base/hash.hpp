#pragma once
// The hashes every layer uses, written once: FNV-1a over bytes (stream names, trace hashes, log
// chains) and SplitMix64 (seeding the PRNG, mixing words into fingerprints). All are fixed by
// their definitions, so a hash is the same on every platform and compiler.

#include <cstdint>
#include <string_view>

namespace faultline {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;

// FNV-1a over bytes, continuing from `h` (kFnvOffset to start afresh).
constexpr uint64_t fnv1a(std::string_view bytes, uint64_t h = kFnvOffset) {
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// SplitMix64's finalizer: every input bit reaches every output bit.
constexpr uint64_t splitmix64_finalizer(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// SplitMix64 as a generator: advances `state` and returns the next well-mixed word (how one seed
// is expanded into a PRNG's state words, as xoshiro's authors advise).
constexpr uint64_t splitmix64(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  return splitmix64_finalizer(state);
}

// One word mixed on its own: SplitMix64's next output from `word` as its state. Cheap, and
// words that differ in one bit land far apart (hash tables, fingerprints).
constexpr uint64_t mix64(uint64_t word) {
  return splitmix64(word);
}

}  // namespace faultline
