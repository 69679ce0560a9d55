#pragma once
// Portable randomness: xoshiro256** seeded through SplitMix64, and our own bounded, bernoulli and
// exponential draws. The standard library's distributions are not used anywhere: libstdc++ and
// libc++ implement them differently, and the same seed must give the same run on both.

#include <cstdint>
#include <string_view>

#include "base/hash.hpp"
#include "sim/time.hpp"

namespace faultline::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  // An independent stream for one purpose: the same (seed, name) always gives the same stream,
  // and adding a stream never shifts the draws of another.
  static Rng stream(uint64_t seed, std::string_view name) { return Rng(seed ^ fnv1a(name)); }

  void reseed(uint64_t seed) {
    uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, bound), bound > 0, without modulo bias (Lemire's multiply-and-reject).
  uint64_t below(uint64_t bound) {
    UInt128 m = static_cast<UInt128>(next()) * bound;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < bound) {
      const uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<UInt128>(next()) * bound;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace faultline::sim
