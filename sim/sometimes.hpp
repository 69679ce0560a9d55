#pragma once
// `sometimes` properties of a world: states some run should reach ("a transaction commits", "a
// leader is elected"). A search or a run that finds no violation may have passed because it never
// reached anything interesting; these say whether it did. A protocol's harness declares them
// beside its invariants (World::add_sometimes), and the world evaluates each after every event
// (untimed: every step), as it checks its invariants, until it first holds. They are never a
// verdict: a property not reached is a warning about coverage, not a finding.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace faultline::sim {

class SometimesRegistry {
 public:
  struct Property {
    std::string name;
    std::function<bool()> reached;
    // When it first held: the world's events so far (in an untimed world, its steps) and its
    // true time. Empty: not yet.
    std::optional<uint64_t> first_event;
    int64_t first_at_ns = 0;
  };

  void add(std::string name, std::function<bool()> reached);
  // Evaluates the properties not yet reached.
  void evaluate(uint64_t events, int64_t now_ns);
  bool empty() const { return properties_.empty(); }
  const std::vector<Property>& properties() const { return properties_; }

 private:
  std::vector<Property> properties_;
};

}  // namespace faultline::sim
