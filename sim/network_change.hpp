#pragma once
// What a network fault changed, in words, for the trace's `network` record: "latency uniform
// 1ms..10ms → constant 200ms", "loss 0% → 30%", "client1→storage latency uniform 1ms..5ms →
// constant 3s". Only what differs is named, so that a latency fault reads as one.

#include <string>
#include <vector>

#include "sim/network.hpp"

namespace faultline::sim {

// "constant 200ms", "uniform 1ms..10ms", "exponential 1ms + mean 3ms, at most 10ms".
std::string describe_latency(const LatencyModel& latency);

// A probability as a percentage with at most two decimals: "0%", "30%", "0.5%".
std::string describe_probability(Probability p);

// The world-wide settings that differ from `before` to `after` and, for each link in `changed`
// (at most three named, then a count), its own: joined by ", "; "unchanged" when nothing
// differs. `names` names the nodes.
std::string describe_network_change(const NetworkOptions& before, const NetworkOptions& after,
                                    const LinkTable& before_links, const LinkTable& after_links,
                                    const std::vector<Link>& changed,
                                    const std::vector<std::string>& names);

}  // namespace faultline::sim
