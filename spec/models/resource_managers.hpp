#pragma once
// What the commit specs (TwoPhase, TCommit) share: a resource manager's state, packed two bits per
// RM, their names r1..rN, and the canonical order of per-RM records under a symmetry that
// permutes RMs.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace faultline::spec::models {

// At most this many RMs: their states are two bits each of a 32-bit word.
constexpr int kMaxResourceManagers = 15;

enum class RmState : uint8_t { working = 0, prepared = 1, committed = 2, aborted = 3 };

constexpr RmState rm_state(uint32_t packed, int rm) {
  return static_cast<RmState>((packed >> (2 * rm)) & 3u);
}
constexpr uint32_t with_rm_state(uint32_t packed, int rm, RmState state) {
  return (packed & ~(3u << (2 * rm))) | (static_cast<uint32_t>(state) << (2 * rm));
}
constexpr bool has_bit(uint32_t bits, int rm) {
  return (bits >> rm) & 1u;
}

inline std::string rm_name(int rm) {
  return "r" + std::to_string(rm + 1);
}
const char* rm_state_name(RmState state);

// Sorts `rms` per-RM records (small integers) so that states that differ only by which RM is
// which become one: the canonical member of the orbit under every permutation of RMs, exact
// because no part of these states names an RM by index.
inline void sort_records(std::array<uint8_t, kMaxResourceManagers>& records, int rms) {
  std::sort(records.begin(), records.begin() + rms);
}

}  // namespace faultline::spec::models
