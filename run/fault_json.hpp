#pragma once
// Writes a fault the way a scenario's `faults` entry reads it (docs/scenarios.md), so that the
// faults a run suffered - the nemesis's included - become a timeline a person can read and edit.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/faults.hpp"

namespace faultline::run {

// `names` maps node ids to names. A partition whose groups leave fewer than two sides non-empty
// blocks nothing, and is written as the `heal` it amounts to.
nlohmann::json fault_to_json(const sim::Fault& fault, const std::vector<std::string>& names);

// A network as a scenario's `network` object (latency, loss, duplicate, fifo, and `links` when it
// has per-link settings, their nodes named by `names`).
nlohmann::json network_to_json(const sim::NetworkOptions& network,
                               const std::vector<std::string>& names = {});

}  // namespace faultline::run
