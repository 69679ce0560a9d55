#pragma once
// A per-event invariant that names the nodes involved. World::add_invariant takes a message
// only; the nodes to highlight go in through report_violation, which stops the run just as a
// returned message would. Shared by the protocol families whose invariants point at nodes.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/world.hpp"

namespace faultline::protocols {

// A broken invariant with the nodes to highlight in the diagram.
struct Broken {
  std::string message;
  std::vector<std::string> involved;
};

inline void add_checked(sim::World& world, const std::string& name,
                        std::function<std::optional<Broken>()> check) {
  sim::World* w = &world;
  world.add_invariant(name, [w, name, check = std::move(check)]() -> std::optional<std::string> {
    if (std::optional<Broken> broken = check()) {
      w->report_violation(sim::Violation{name, w->now(), broken->message, broken->involved, 0});
    }
    return std::nullopt;
  });
}

}  // namespace faultline::protocols
