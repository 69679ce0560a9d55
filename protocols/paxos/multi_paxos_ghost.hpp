#pragma once
// Ghost state of a Multi-Paxos run: what an omniscient observer sees, kept in the harness so it
// survives crashes. Per slot, a value is chosen the moment a majority of acceptors holds it in
// one ballot (§2.1's definition, whether or not anyone learns it), and each replica's learning
// of a slot is a decision too. The first time a slot gets a second value, the agreement checker
// words the finding and the per-event invariant reports it, so the run stops at that event.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checkers/safety/agreement.hpp"
#include "protocols/paxos/multi_paxos_messages.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols::paxos {

// How a slot's value reads in findings: "put x=1.4 (client 2 #4)", "no-op".
inline std::string describe_slot_value(const SlotValue& v) {
  if (v.noop) return "no-op";
  const kv::KvCommand& c = v.command;
  std::string out = c.f + " " + c.key;
  if (c.f != "get") out += "=" + c.value;
  return out + " (client " + std::to_string(c.client) + " #" + std::to_string(c.seq) + ")";
}

struct MultiPaxosGhost {
  size_t majority = 3;
  // Per slot, one decision per distinct value (the first to decide it), for the checker.
  std::map<uint64_t, std::vector<checkers::Decision>> decided;
  // Per decider label, the nodes to highlight ("acceptors s1+s2+s3 (ballot 2.1)" -> {s1,s2,s3}).
  std::map<std::string, std::vector<std::string>> nodes_of;
  std::map<std::pair<uint64_t, Ballot>, std::set<std::string>> accepted_by;
  std::optional<Finding> conflict;  // waiting for the per-event invariant
  uint64_t chosen_slots = 0;
  uint64_t leaders_elected = 0;

  void record_accept(uint64_t slot, const std::string& acceptor, Ballot ballot,
                     const SlotValue& value, int64_t at_ns) {
    auto& who = accepted_by[{slot, ballot}];
    if (!who.insert(acceptor).second || who.size() != majority) return;
    std::vector<std::string> nodes(who.begin(), who.end());
    std::string label = "acceptors";
    for (size_t i = 0; i < nodes.size(); ++i) label += (i ? "+" : " ") + nodes[i];
    label += " (ballot " + ballot.text() + ")";
    nodes_of[label] = nodes;
    decide(slot, label, value, at_ns);
  }

  void record_learn(uint64_t slot, const std::string& replica, const SlotValue& value,
                    int64_t at_ns) {
    nodes_of.try_emplace(replica, std::vector<std::string>{replica});
    decide(slot, replica, value, at_ns);
  }

  // What the agreement verdict can depend on, for the search's fingerprint
  // (sim::World::add_ghost_state): per slot the values decided, as a set (not who decided them
  // first, or when: those only word the finding), and who accepted each (slot, ballot) that a
  // majority has not reached yet. A pair that has reached it decides nothing more, whoever else
  // accepts, so it counts only as reached. `conflict` is taken by the invariant at the event that
  // set it, so no state outlives it; `nodes_of` only names nodes in the finding; the counters are
  // figures (`chosen_slots > 0`, the `sometimes`, follows from `decided`).
  void hash(sim::StateHasher& hasher) const {
    hasher.add_range(decided, [](sim::StateHasher& h, const auto& slot) {
      std::set<std::string> values;
      for (const checkers::Decision& d : slot.second) values.insert(d.value);
      h.add(slot.first).add_range(values, [](sim::StateHasher& v, const std::string& value) {
        v.add(value);
      });
    });
    hasher.add_range(accepted_by, [this](sim::StateHasher& h, const auto& entry) {
      h.add(entry.first.first).add(entry.first.second.word());
      if (entry.second.size() >= majority) {
        h.add("reached");
        return;
      }
      h.add_range(entry.second, [](sim::StateHasher& a, const std::string& name) { a.add(name); });
    });
  }

 private:
  void decide(uint64_t slot, const std::string& decider, const SlotValue& value, int64_t at_ns) {
    std::vector<checkers::Decision>& decisions = decided[slot];
    const std::string text = describe_slot_value(value);
    if (decisions.empty()) ++chosen_slots;
    for (const checkers::Decision& d : decisions) {
      if (d.value == text) return;  // only a new value for the slot can break agreement
    }
    decisions.push_back({std::to_string(slot), decider, text, at_ns});
    if (decisions.size() < 2 || conflict) return;
    std::vector<Finding> found = checkers::check_agreement(decisions);
    if (found.empty()) return;
    conflict = found.front();
    std::vector<std::string> nodes;
    for (const std::string& who : conflict->involved) {
      auto it = nodes_of.find(who);
      if (it == nodes_of.end()) {
        nodes.push_back(who);
      } else {
        nodes.insert(nodes.end(), it->second.begin(), it->second.end());
      }
    }
    conflict->involved = std::move(nodes);
  }
};

}  // namespace faultline::protocols::paxos
