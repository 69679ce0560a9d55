#include "sim/sometimes.hpp"

namespace faultline::sim {

void SometimesRegistry::add(std::string name, std::function<bool()> reached) {
  properties_.push_back(Property{std::move(name), std::move(reached), std::nullopt, 0});
}

void SometimesRegistry::evaluate(uint64_t events, int64_t now_ns) {
  for (Property& p : properties_) {
    if (p.first_event || !p.reached()) continue;
    p.first_event = events;
    p.first_at_ns = now_ns;
  }
}

}  // namespace faultline::sim
