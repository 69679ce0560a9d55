#pragma once
// A cache in front of a key-value store (protocols/cache/cache.cpp): cache-aside with leased
// fills, write-through and write-back, judged by linearizability of reads through the cache,
// bounded staleness and no acknowledged write lost.

#include "protocols/protocol.hpp"

namespace faultline::protocols::cache {

ProtocolInfo cache_info();

}  // namespace faultline::protocols::cache
