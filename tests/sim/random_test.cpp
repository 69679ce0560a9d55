#include "sim/random.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

#include "sim/choices.hpp"

using namespace faultline;
using namespace faultline::sim;

namespace {

// Vigna's reference xoshiro256** (prng.di.unimi.it/xoshiro256starstar.c), transcribed with its
// state exposed, to pin our generator to the published algorithm.
struct ReferenceXoshiro {
  uint64_t s[4];
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

}  // namespace

TEST_CASE("splitmix64 matches the published sequence for seed 0") {
  uint64_t state = 0;
  CHECK(splitmix64(state) == 0xe220a8397b1dcdafULL);
  CHECK(splitmix64(state) == 0x6e789e6aa1b965f4ULL);
  CHECK(splitmix64(state) == 0x06c45d188009454fULL);
}

TEST_CASE(
    "the reference xoshiro256** transcription gives the published outputs for state 1,2,3,4") {
  // The test vector of the Rust rand_xoshiro crate, itself taken from the reference C code.
  ReferenceXoshiro ref{{1, 2, 3, 4}};
  CHECK(ref.next() == 11520);
  CHECK(ref.next() == 0);
  CHECK(ref.next() == 1509978240);
  CHECK(ref.next() == 1215971899390074240ULL);
}

TEST_CASE("Rng is xoshiro256** seeded through splitmix64") {
  // Values computed by the reference C code (splitmix64.c seeding xoshiro256starstar.c).
  Rng rng(42);
  CHECK(rng.next() == 0x15780b2e0c2ec716ULL);
  CHECK(rng.next() == 0x6104d9866d113a7eULL);
  CHECK(rng.next() == 0xae17533239e499a1ULL);
  CHECK(rng.next() == 0xecb8ad4703b360a1ULL);
  CHECK(rng.next() == 0xfde6dc7fe2ec5e64ULL);

  Rng zero(0);
  CHECK(zero.next() == 0x99ec5f36cb75f2b4ULL);
  CHECK(zero.next() == 0xbf6e1f784956452aULL);

  // And for many more draws against the transcription, seeded the same way.
  for (uint64_t seed : std::initializer_list<uint64_t>{1, 7, 0xdeadbeef, ~0ULL}) {
    uint64_t sm = seed;
    ReferenceXoshiro ref{{splitmix64(sm), splitmix64(sm), splitmix64(sm), splitmix64(sm)}};
    Rng ours(seed);
    for (int i = 0; i < 1000; ++i) REQUIRE(ours.next() == ref.next());
  }
}

TEST_CASE("below stays in range for every bound, including 1 and the largest") {
  Rng rng(3);
  for (uint64_t bound : std::initializer_list<uint64_t>{1, 2, 3, 7, 10, 1000, (1ULL << 63) + 1,
                                                        std::numeric_limits<uint64_t>::max()}) {
    for (int i = 0; i < 2000; ++i) REQUIRE(rng.below(bound) < bound);
  }
  for (int i = 0; i < 100; ++i) CHECK(rng.below(1) == 0);
}

TEST_CASE("below is unbiased where a modulo would be biased") {
  // bound = 3 * 2^62: `next() % bound` maps [0, 2^62) twice and the rest once, so it would put half
  // the draws below 2^62 instead of a third.
  Rng rng(11);
  const uint64_t bound = 3ULL << 62;
  const int n = 60000;
  int low = 0;
  for (int i = 0; i < n; ++i) low += rng.below(bound) < (1ULL << 62) ? 1 : 0;
  CHECK(low / double(n) == doctest::Approx(1.0 / 3).epsilon(0.03));

  // A small bound: each of 6 faces within a few percent of 1/6 (chi-squared, 5 dof).
  std::array<int, 6> faces{};
  const int rolls = 120000;
  for (int i = 0; i < rolls; ++i) ++faces[rng.below(6)];
  double chi2 = 0;
  for (int f : faces) chi2 += (f - rolls / 6.0) * (f - rolls / 6.0) / (rolls / 6.0);
  CHECK(chi2 < 25.0);  // p < 0.0002 under uniformity
}

TEST_CASE("unit draws lie in [0, 1) with mean one half") {
  Rng rng(5);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    double u = rng.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  CHECK(sum / 100000 == doctest::Approx(0.5).epsilon(0.01));
}

TEST_CASE("streams are independent: adding a stream does not change another's draws") {
  RandomChoices two(99);
  two.add_stream("network");
  two.add_stream("client1");
  RandomChoices three(99);
  three.add_stream("network");
  three.add_stream("client0");
  three.add_stream("client1");
  std::vector<uint64_t> a, b;
  for (int i = 0; i < 100; ++i) {
    a.push_back(two.draw(1, 1000000));    // client1 in `two`
    three.draw(1, 1000000);               // client0 draws in between: must not matter
    b.push_back(three.draw(2, 1000000));  // client1 in `three`
  }
  CHECK(a == b);

  // Same name, same seed: same stream; another name or seed: another stream.
  Rng x = Rng::stream(99, "network"), y = Rng::stream(99, "network");
  Rng other_name = Rng::stream(99, "faults"), other_seed = Rng::stream(100, "network");
  int same_as_other_name = 0, same_as_other_seed = 0;
  for (int i = 0; i < 100; ++i) {
    uint64_t v = x.next();
    CHECK(v == y.next());
    same_as_other_name += v == other_name.next();
    same_as_other_seed += v == other_seed.next();
  }
  CHECK(same_as_other_name == 0);
  CHECK(same_as_other_seed == 0);
}

TEST_CASE("the tape records each real choice and replay reads it back") {
  RandomChoices random(8);
  random.add_stream("s");
  random.start_recording();
  std::vector<uint64_t> drawn;
  for (uint64_t bound = 1; bound < 50; ++bound) drawn.push_back(random.draw(0, bound));
  // A bound of 1 is not a choice and is not recorded.
  CHECK(random.tape().values.size() == 48);

  ReplayChoices replay(random.tape());
  for (uint64_t bound = 1; bound < 50; ++bound) CHECK(replay.draw(0, bound) == drawn[bound - 1]);
  CHECK(replay.consumed() == 48);
  // Past the end, every choice is the simplest one.
  CHECK(replay.draw(0, 1000) == 0);
  // A value at or above its bound (an edited tape) is clamped.
  ReplayChoices edited(ChoiceTape{{7, 9}});
  CHECK(edited.draw(0, 5) == 4);
  CHECK(edited.draw(0, 10) == 9);
}

TEST_CASE("a draw whose simplest outcome is its highest is held reflected: tape 0 is simplest") {
  RandomChoices random(8);
  random.add_stream("s");
  RandomChoices same(8);
  same.add_stream("s");
  random.start_recording();
  std::vector<uint64_t> drawn;
  for (uint64_t bound = 2; bound < 50; ++bound) {
    drawn.push_back(random.draw(0, bound, Simplest::kHighest));
    // The direction changes no random draw: a seed's runs are what they were.
    CHECK(drawn.back() == same.draw(0, bound));
    CHECK(random.tape().values.back() == bound - 1 - drawn.back());
  }
  ReplayChoices replay(random.tape());
  for (uint64_t bound = 2; bound < 50; ++bound) {
    CHECK(replay.draw(0, bound, Simplest::kHighest) == drawn[bound - 2]);
  }
  // Past the end, the simplest: the highest value.
  CHECK(replay.draw(0, 1000, Simplest::kHighest) == 999);
  CHECK(replay.draw(0, 1000) == 0);
  // An edited value beyond the bound is clamped to the farthest from the simplest.
  ReplayChoices edited(ChoiceTape{{70}});
  CHECK(edited.draw(0, 10, Simplest::kHighest) == 0);
  // An exponential whose simplest is the longest: tape 0 gives ~13.9 means.
  ReplayChoices zeros(ChoiceTape{});
  CHECK(draw_exponential_ns(zeros, 0, 1'000'000, Simplest::kHighest) == 13'862'943);
}

TEST_CASE("exponential draws through the tape have the requested mean, and 0 is the shortest") {
  RandomChoices random(21);
  random.add_stream("s");
  const int64_t mean = 1'000'000;
  double sum = 0;
  const int n = 50000;
  for (int i = 0; i < n; ++i) {
    int64_t x = draw_exponential_ns(random, 0, mean);
    REQUIRE(x >= 0);
    sum += double(x);
  }
  // The inverse CDF is cut at 1 - 2^-20, which lowers the mean by ~1.4e-5 of it.
  CHECK(sum / n == doctest::Approx(double(mean)).epsilon(0.03));
  ReplayChoices zeros(ChoiceTape{});
  CHECK(draw_exponential_ns(zeros, 0, mean) == 0);
}
