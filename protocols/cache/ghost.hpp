#pragma once
// What an omniscient observer knows of the store: every write it applied, with the true time, and
// a few counters for the summary. The harness owns it, so it survives the store's crashes; the
// store writes into it as it applies, and the checkers (checks.hpp) read it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace faultline::protocols::cache {

struct Applied {
  std::string value;
  uint64_t version = 0;
  int64_t at_ns = 0;  // true time at which the store applied it
};

struct Ghost {
  // Per key, in the order applied (versions increase). A key's value before its first write is
  // "" from time 0.
  std::map<std::string, std::vector<Applied>> applied;
  int64_t hits = 0;
  int64_t misses = 0;
  int64_t fills_accepted = 0;
  int64_t fills_refused = 0;
  int64_t invalidations_sent = 0;
  int64_t writes_acked_unconfirmed = 0;  // acknowledged with an invalidation unconfirmed
};

}  // namespace faultline::protocols::cache
