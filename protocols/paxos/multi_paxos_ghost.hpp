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
