#pragma once
// What an omniscient observer of a Raft cluster remembers, kept in the harness so that it
// survives crashes: every entry any server applied, by index. Nodes report applications through
// this interface only; nothing in it feeds back into their behaviour. It also remembers every
// election won, so a run can say how often leadership changed hands.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checkers/safety/agreement.hpp"
#include "protocols/raft/messages.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::protocols::raft {

// How an entry reads in findings: "t3 put x=1.4 (client 2 #4)".
inline std::string describe_entry(const LogEntry& e) {
  std::string out = "t" + std::to_string(e.term) + " ";
  if (e.noop) return out + "no-op";
  if (!e.config.empty()) {
    out += "config";
    for (const std::string& name : e.config) out += " " + name;
    return out;
  }
  const kv::KvCommand& c = e.command;
  out += c.f + " " + c.key;
  if (c.f != "get") out += "=" + c.value;
  return out + " (client " + std::to_string(c.client) + " #" + std::to_string(c.seq) + ")";
}

struct RaftGhost {
  // Every decision (index applied by a node) with its entry rendered as text, grouped by index.
  std::map<uint64_t, std::vector<checkers::Decision>> applied;
  // The first entry applied at each index: what "committed" meant to clients.
  std::map<uint64_t, LogEntry> committed;
  // The applier's current term at that first application: no lower than the term in which the
  // entry was committed, so Leader Completeness is owed by leaders of any later term.
  std::map<uint64_t, uint64_t> committed_by_term;
  // A state machine safety finding waiting for the per-event invariant to report it.
  std::optional<Finding> conflict;
  // Every election won: (term, winner, true time in ns).
  struct Election {
    uint64_t term;
    std::string leader;
    int64_t at_ns;
  };
  std::vector<Election> elections;

  void on_elected(const std::string& node, uint64_t term, int64_t at_ns) {
    elections.push_back(Election{term, node, at_ns});
  }

  void on_apply(const std::string& node, uint64_t index, const LogEntry& entry, uint64_t term,
                int64_t at_ns) {
    std::vector<checkers::Decision>& decisions = applied[index];
    checkers::Decision d{std::to_string(index), node, describe_entry(entry), at_ns};
    if (committed.emplace(index, entry).second) committed_by_term.emplace(index, term);
    // Only a new value for the index can break agreement; keep one decision per value.
    for (const auto& seen : decisions) {
      if (seen.value == d.value) return;
    }
    decisions.push_back(d);
    if (decisions.size() > 1 && !conflict) {
      std::vector<Finding> found = checkers::check_agreement(decisions);
      if (!found.empty()) conflict = found.front();
    }
  }

  // What a verdict can depend on, for the search's fingerprint (sim::World::add_ghost_state): as
  // sets, without times or the order things happened in. `conflict` is taken by the invariant at
  // the event that set it, so no state outlives it.
  void hash(sim::StateHasher& hasher) const {
    hasher.add_range(applied, [](sim::StateHasher& h, const auto& index) {
      std::set<std::string> values;
      for (const checkers::Decision& d : index.second) values.insert(d.value);
      h.add(index.first).add_range(values, [](sim::StateHasher& v, const std::string& value) {
        v.add(value);
      });
    });
    hasher.add_range(committed, [this](sim::StateHasher& h, const auto& entry) {
      h.add(entry.first).add(entry.second.term).add(describe_entry(entry.second));
      h.add(committed_by_term.at(entry.first));
    });
    std::set<std::pair<uint64_t, std::string>> won;
    for (const Election& e : elections) won.insert({e.term, e.leader});
    hasher.add_range(won, [](sim::StateHasher& h, const auto& e) { h.add(e.first).add(e.second); });
  }
};

}  // namespace faultline::protocols::raft
