// The state store keeps every state exactly: a state is found again by its bytes, never confused
// with another whose hash agrees, and survives the table's growth.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "spec/state_store.hpp"

namespace faultline::spec {

TEST_CASE("the state store finds each of 200,000 states again, across table growth") {
  StateStore store(sizeof(uint64_t) * 2);
  auto state_of = [](uint64_t i) {
    std::vector<std::byte> bytes(16);
    const uint64_t words[2] = {i * 0x9e3779b97f4a7c15ULL, ~i};
    std::memcpy(bytes.data(), words, 16);
    return bytes;
  };
  for (uint64_t i = 0; i < 200000; ++i) {
    auto s = state_of(i);
    const uint64_t h = StateStore::hash(s.data(), s.size());
    REQUIRE(store.find(s.data(), h) == -1);
    CHECK(store.insert(s.data(), h, i == 0 ? StateStore::kNoParent : static_cast<uint32_t>(i - 1),
                       static_cast<uint16_t>(i % 7)) == i);
  }
  CHECK(store.size() == 200000);
  for (uint64_t i = 0; i < 200000; i += 997) {
    auto s = state_of(i);
    CHECK(store.find(s.data(), StateStore::hash(s.data(), s.size())) == static_cast<int64_t>(i));
    CHECK(std::memcmp(store.state(static_cast<uint32_t>(i)), s.data(), 16) == 0);
    CHECK(store.action(static_cast<uint32_t>(i)) == i % 7);
  }
  auto absent = state_of(200001);
  CHECK(store.find(absent.data(), StateStore::hash(absent.data(), 16)) == -1);
}

TEST_CASE("two states with the same hash are still two states") {
  StateStore store(4);
  const std::byte a[4] = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
  const std::byte b[4] = {std::byte{4}, std::byte{3}, std::byte{2}, std::byte{1}};
  // Forced collision: both stored under one hash; only the bytes tell them apart.
  const uint64_t same_hash = 42;
  store.insert(a, same_hash, StateStore::kNoParent, 0);
  CHECK(store.find(b, same_hash) == -1);
  store.insert(b, same_hash, 0, 1);
  CHECK(store.find(a, same_hash) == 0);
  CHECK(store.find(b, same_hash) == 1);
}

TEST_CASE("states of every size compare, copy and hash by all of their bytes") {
  // equal, copy and the hash's tail read sizes up to 16 bytes with loads that overlap: a byte
  // that differs anywhere, at any size, must tell two states apart.
  for (size_t size = 1; size <= 24; ++size) {
    CAPTURE(size);
    std::vector<std::byte> a(size), copied(size);
    for (size_t i = 0; i < size; ++i) a[i] = std::byte(static_cast<unsigned char>(i * 37 + 11));
    StateStore::copy(copied.data(), a.data(), size);
    CHECK(std::memcmp(copied.data(), a.data(), size) == 0);
    CHECK(StateStore::equal(a.data(), copied.data(), size));
    for (size_t at = 0; at < size; ++at) {
      CAPTURE(at);
      std::vector<std::byte> b = a;
      b[at] ^= std::byte{0x40};
      CHECK_FALSE(StateStore::equal(a.data(), b.data(), size));
      CHECK(StateStore::hash(a.data(), size) != StateStore::hash(b.data(), size));
    }
  }
}

}  // namespace faultline::spec
