// The sweep: results in seed order whatever the thread count, and shards that split a range into
// disjoint parts that cover it.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/explore/sweep.hpp"

namespace faultline::sim::explore {

TEST_CASE("a sweep returns one result per seed, in seed order, on any number of threads") {
  std::vector<uint64_t> seeds = shard_seeds({1, 500}, {});
  REQUIRE(seeds.size() == 500);
  // Uneven work, so that threads finish out of order.
  auto run = [](uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t i = 0; i < (seed % 7) * 2000; ++i) x = x * 6364136223846793005ull + 1;
    return std::pair(seed, x);
  };
  std::vector<std::pair<uint64_t, uint64_t>> alone =
      sweep<std::pair<uint64_t, uint64_t>>(seeds, 1, run);
  for (unsigned jobs : {2u, 4u, 16u}) {
    CAPTURE(jobs);
    CHECK(sweep<std::pair<uint64_t, uint64_t>>(seeds, jobs, run) == alone);
  }
  for (size_t i = 0; i < seeds.size(); ++i) CHECK(alone[i].first == seeds[i]);
}

TEST_CASE("the shards of a range are disjoint and together are the range") {
  const SeedRange range{10, 109};
  std::vector<uint64_t> all;
  for (uint32_t i = 0; i < 7; ++i) {
    std::vector<uint64_t> shard = shard_seeds(range, {i, 7});
    CHECK(std::is_sorted(shard.begin(), shard.end()));
    for (uint64_t s : shard) CHECK((s - range.first) % 7 == i);
    all.insert(all.end(), shard.begin(), shard.end());
  }
  std::sort(all.begin(), all.end());
  CHECK(all == shard_seeds(range, {}));
  CHECK(all.size() == 100);
  // A range at the top of the seeds does not wrap around.
  CHECK(shard_seeds({UINT64_MAX - 1, UINT64_MAX}, {}).size() == 2);
  CHECK(shard_seeds({5, 5}, {1, 2}).empty());
}

TEST_CASE("an empty sweep runs nothing") {
  CHECK(sweep<int>({}, 4, [](uint64_t) { return 1; }).empty());
}

}  // namespace faultline::sim::explore
