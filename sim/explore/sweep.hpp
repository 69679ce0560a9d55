#pragma once
// Many worlds, one per thread: runs a function of the seed over a range of seeds on `jobs`
// threads and returns the results in seed order, so that the output never depends on which thread
// finished first. Sharding splits a range across machines (a CI matrix, a Kubernetes Indexed Job,
// a Slurm array): shard i of n takes every n-th seed starting at the i-th.

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace faultline::sim::explore {

struct SeedRange {
  uint64_t first = 1;
  uint64_t last = 1;  // inclusive
};

struct Shard {
  uint32_t index = 0;  // from 0
  uint32_t count = 1;
};

inline std::vector<uint64_t> shard_seeds(SeedRange range, Shard shard) {
  std::vector<uint64_t> seeds;
  for (uint64_t s = range.first + shard.index; s <= range.last && s >= range.first;
       s += shard.count) {
    seeds.push_back(s);
  }
  return seeds;
}

// Calls `run(seed)` for every seed on `jobs` threads (each run builds and owns its own world).
template <class Result>
std::vector<Result> sweep(const std::vector<uint64_t>& seeds, unsigned jobs,
                          const std::function<Result(uint64_t)>& run) {
  std::vector<Result> results(seeds.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next.fetch_add(1); i < seeds.size(); i = next.fetch_add(1)) {
      results[i] = run(seeds[i]);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::max(1u, jobs); ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace faultline::sim::explore
