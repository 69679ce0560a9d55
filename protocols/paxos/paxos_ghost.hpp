#pragma once
// Ghost state of a Paxos run (Lamport, "Paxos Made Simple", §2.1's definition of "chosen"): what
// an omniscient observer sees, kept in the harness outside the nodes so it survives their
// crashes. A value is chosen when a majority of acceptors has accepted it in one ballot, whether
// or not any learner hears of it; learners and proposers decide when they learn it. The
// agreement checker compares both kinds of decision, so a lost value is caught even before a
// learner notices.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "checkers/safety/agreement.hpp"
#include "protocols/paxos/messages.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols::paxos {

struct PaxosGhost {
  size_t majority = 2;
  std::vector<checkers::Decision> decisions;
  std::vector<checkers::Proposal> proposals;
  // Per decider label, the nodes to highlight ("acceptors a1+a2" -> {a1, a2}).
  std::map<std::string, std::vector<std::string>> nodes_of;
  // Per (instance, ballot), who accepted it and the value (one value per ballot by construction).
  std::map<std::pair<std::string, Ballot>, std::set<std::string>> accepted_by;
  std::set<std::pair<std::string, std::string>> learnt;  // (decider, instance + value) seen
  uint64_t accepts = 0;

  void record_proposal(const std::string& instance, const std::string& value) {
    proposals.push_back({instance, value});
  }

  // A node decided `value` for `instance`; repeated decisions of one value by one node are one.
  void record_decision(const std::string& instance, const std::string& decider,
                       const std::string& value, int64_t at_ns) {
    if (!learnt.insert({decider, instance + "\n" + value}).second) return;
    decisions.push_back({instance, decider, value, at_ns});
    nodes_of.try_emplace(decider, std::vector<std::string>{decider});
  }

  // An acceptor accepted (durably, when it persists): the moment a majority holds one ballot, the
  // value is chosen.
  void record_accept(const std::string& instance, const std::string& acceptor, Ballot ballot,
                     const std::string& value, int64_t at_ns) {
    ++accepts;
    auto& who = accepted_by[{instance, ballot}];
    if (!who.insert(acceptor).second || who.size() != majority) return;
    std::string label = "acceptors";
    std::vector<std::string> nodes(who.begin(), who.end());
    for (size_t i = 0; i < nodes.size(); ++i) label += (i ? "+" : " ") + nodes[i];
    label += " (ballot " + ballot.text() + ")";
    nodes_of[label] = nodes;
    decisions.push_back({instance, label, value, at_ns});
  }

  // What the agreement checker's verdict can depend on, for fingerprints (World::add_ghost_state):
  // the decisions and proposals as sets (not when they were made), and who accepted each ballot.
  void hash(sim::StateHasher& hasher) const {
    std::set<std::pair<std::string, std::string>> decided, proposed;
    for (const auto& d : decisions) decided.insert({d.instance + "\n" + d.decider, d.value});
    for (const auto& p : proposals) proposed.insert({p.instance, p.value});
    const auto pair = [](sim::StateHasher& h, const auto& p) { h.add(p.first).add(p.second); };
    hasher.add_range(decided, pair).add_range(proposed, pair);
    hasher.add_range(accepted_by, [](sim::StateHasher& h, const auto& entry) {
      h.add(entry.first.first).add(entry.first.second.word());
      h.add_range(entry.second, [](sim::StateHasher& a, const std::string& name) { a.add(name); });
    });
  }

  std::vector<int64_t> decision_times() const {
    std::vector<int64_t> out;
    for (const auto& d : decisions) out.push_back(d.at_ns);
    return out;
  }
};

}  // namespace faultline::protocols::paxos
