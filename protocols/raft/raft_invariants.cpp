// Raft's safety properties (Ongaro & Ousterhout 2014, Figure 3 and §5.4.3), as per-event
// invariants. The observer state they keep (who led which term, which entry each index and term
// stood for) lives here, outside the nodes, so crashes do not erase it.
#include "protocols/raft/raft_invariants.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "base/finding.hpp"
#include "base/format_ns.hpp"
#include "protocols/raft/raft_node.hpp"

namespace faultline::protocols::raft {
namespace {

std::string at(const sim::World& world) {
  return " at " + format_ns(world.now().ns());
}

// Election Safety: at most one leader per term. Leader Completeness is checked at the moment a
// server is first seen leading a term: it must hold every entry applied so far.
class LeaderWatch {
 public:
  LeaderWatch(sim::World& w, std::vector<sim::NodeId> s, RaftGhost& g)
      : world_(&w), servers_(std::move(s)), ghost_(&g) {}

  std::optional<Finding> election_safety() {
    for (sim::NodeId id : servers_) {
      const RaftNode* node = world_->node_as<RaftNode>(id);
      if (!node || node->role() != Role::kLeader) continue;
      auto [it, fresh] = leaders_.emplace(node->term(), id);
      if (fresh) newly_elected_.push_back(id);
      if (it->second != id) {
        return Finding{.message = "two leaders in term " + std::to_string(node->term()) + ": " +
                                  world_->node_name(it->second) + " and " + world_->node_name(id) +
                                  at(*world_),
                       .involved = {world_->node_name(it->second), world_->node_name(id)}};
      }
    }
    return std::nullopt;
  }

  // Who led which term, for the search's fingerprint: the election-safety verdict depends on it.
  void hash(sim::StateHasher& hasher) const {
    hasher.add_range(leaders_, [](sim::StateHasher& h, const auto& term) {
      h.add(term.first).add(term.second);
    });
  }

  std::optional<Finding> leader_completeness() {
    election_safety();  // keeps the record of leaders current when only this one is enabled
    std::vector<sim::NodeId> elected = std::move(newly_elected_);
    newly_elected_.clear();
    for (sim::NodeId id : elected) {
      const RaftNode* node = world_->node_as<RaftNode>(id);
      if (!node) continue;
      for (const auto& [index, entry] : ghost_->committed) {
        // A leader of a term no later than the commit (elected late, say after a pause held
        // its votes) owes nothing.
        if (ghost_->committed_by_term.at(index) >= node->term()) continue;
        if (index <= node->last_index() && node->log()[index].term == entry.term) continue;
        return Finding{.message = world_->node_name(id) + " became leader of term " +
                                  std::to_string(node->term()) + " without committed entry " +
                                  std::to_string(index) + " (" + describe_entry(entry) + ")" +
                                  at(*world_),
                       .involved = {world_->node_name(id)}};
      }
    }
    return std::nullopt;
  }

 private:
  sim::World* world_;
  std::vector<sim::NodeId> servers_;
  RaftGhost* ghost_;
  std::map<uint64_t, sim::NodeId> leaders_;
  std::vector<sim::NodeId> newly_elected_;
};

// Log Matching: two logs with an entry of the same index and term agree on every entry up to
// it. Every (index, term) ever stored is remembered with the fingerprint of its prefix.
std::optional<Finding> log_matching(
    sim::World& world, const std::vector<sim::NodeId>& servers,
    std::map<std::pair<uint64_t, uint64_t>, std::pair<uint64_t, sim::NodeId>>& seen) {
  for (sim::NodeId id : servers) {
    const RaftNode* node = world.node_as<RaftNode>(id);
    if (!node) continue;
    // Only the tail can be new since the last event; earlier entries were recorded already.
    const uint64_t last = node->last_index();
    for (uint64_t i = last; i >= 1; --i) {
      auto key = std::make_pair(i, node->log()[i].term);
      auto [it, fresh] = seen.emplace(key, std::make_pair(node->prefix_hashes()[i], id));
      if (!fresh && it->second.first != node->prefix_hashes()[i]) {
        return Finding{
            .message = world.node_name(id) + " and " + world.node_name(it->second.second) +
                       " both hold an entry of term " + std::to_string(key.second) + " at index " +
                       std::to_string(i) + " but their logs differ before it" + at(world),
            .involved = {world.node_name(id), world.node_name(it->second.second)}};
      }
      if (!fresh) break;
    }
  }
  return std::nullopt;
}

}  // namespace

void add_raft_invariants(sim::World& world, const std::vector<sim::NodeId>& servers,
                         RaftGhost& ghost, const std::vector<std::string>& enabled) {
  auto on = [&](const char* name) {
    return std::find(enabled.begin(), enabled.end(), name) != enabled.end();
  };
  sim::World* w = &world;
  const RaftGhost* observed = &ghost;
  world.add_sometimes("a leader is elected", [observed] { return !observed->elections.empty(); });
  world.add_sometimes("an entry commits", [observed] { return !observed->committed.empty(); });
  world.add_ghost_state([observed](sim::StateHasher& h) { observed->hash(h); });
  auto leaders = std::make_shared<LeaderWatch>(world, servers, ghost);
  world.add_ghost_state([leaders](sim::StateHasher& h) { leaders->hash(h); });
  if (on("election-safety")) {
    world.add_invariant("election-safety", [leaders] { return leaders->election_safety(); });
  }
  if (on("leader-completeness")) {
    world.add_invariant("leader-completeness",
                        [leaders] { return leaders->leader_completeness(); });
  }
  if (on("log-matching")) {
    auto seen = std::make_shared<
        std::map<std::pair<uint64_t, uint64_t>, std::pair<uint64_t, sim::NodeId>>>();
    world.add_invariant("log-matching",
                        [w, servers, seen] { return log_matching(*w, servers, *seen); });
    // Every (index, term) stored and the prefix it stood for; which server held it first only
    // names it in the finding.
    world.add_ghost_state([seen](sim::StateHasher& h) {
      h.add_range(*seen, [](sim::StateHasher& e, const auto& entry) {
        e.add(entry.first.first).add(entry.first.second).add(entry.second.first);
      });
    });
  }
  if (on("state-machine-safety")) {
    RaftGhost* g = &ghost;
    world.add_invariant("state-machine-safety", [g]() -> std::optional<Finding> {
      // Reported once: the ghost keeps the first conflict and the invariant takes it.
      return std::exchange(g->conflict, std::nullopt);
    });
  }
  if (on("single-change")) {
    // §4.1's premise: majorities of consecutive configurations overlap only if they differ by
    // one server.
    world.add_invariant("single-change", [w, servers]() -> std::optional<Finding> {
      for (sim::NodeId id : servers) {
        const RaftNode* node = w->node_as<RaftNode>(id);
        if (!node || node->last_change_size() <= 1) continue;
        return Finding{.message = w->node_name(id) + "'s latest configuration changes " +
                                  std::to_string(node->last_change_size()) + " servers at once" +
                                  at(*w),
                       .involved = {w->node_name(id)}};
      }
      return std::nullopt;
    });
  }
  if (on("monotonic")) {
    // Terms are durable, so they never decrease, even across restarts; a commit index is
    // volatile, so it only must not decrease while the server stays up.
    auto last = std::make_shared<std::map<sim::NodeId, std::pair<uint64_t, uint64_t>>>();
    world.add_invariant("monotonic", [w, servers, last]() -> std::optional<Finding> {
      for (sim::NodeId id : servers) {
        const RaftNode* node = w->node_as<RaftNode>(id);
        auto& [term, commit] = (*last)[id];
        if (!node) {
          commit = 0;
          continue;
        }
        if (node->term() < term || node->commit_index() < commit) {
          return Finding{.message = w->node_name(id) + " went back from term " +
                                    std::to_string(term) + " commit " + std::to_string(commit) +
                                    " to term " + std::to_string(node->term()) + " commit " +
                                    std::to_string(node->commit_index()) + at(*w),
                         .involved = {w->node_name(id)}};
        }
        term = node->term();
        commit = node->commit_index();
      }
      return std::nullopt;
    });
  }
}

}  // namespace faultline::protocols::raft
