#pragma once
// Partitions as link rules. A partition cuts a set of directed links; the world keeps each
// partition's cut under an id of its own, so that ending one partition (a nemesis's undo) leaves
// every other partition in force. A link carries messages when no rule in force cuts it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/choices.hpp"
#include "sim/trace.hpp"

namespace faultline::sim {

// Names one partition's rules for as long as they are in force; 0 names none.
using PartitionId = uint32_t;

struct Link {
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  auto operator<=>(const Link&) const = default;
};

// A partition as the scenario states it; cut_links turns it into links.
struct PartitionSpec {
  enum class Mode : uint8_t {
    kSplit,    // groups cannot reach one another; nodes in no group reach everyone
    kOneWay,   // messages from groups[0] to groups[1] are lost; the other way works
    kIsolate,  // `groups[0]` (usually one node) is cut off from every other node
    kBridge,   // groups[0] and groups[1] are split, but `groups[2]` (one node) reaches both
    kMajorityMinority,  // `groups[0]` is split in two, a random minority cut from the majority
  };
  Mode mode = Mode::kSplit;
  std::vector<std::vector<NodeId>> groups;
};

std::string_view to_string(PartitionSpec::Mode mode);

// What a partition cuts, among `nodes` nodes.
struct PartitionCut {
  std::vector<Link> links;
  std::string description;  // names the sides: "isolate {n1}"
  PartitionSpec applied;    // as applied: a majority-minority as the kSplit it drew
};

// kMajorityMinority draws its minority through `choices`; the other modes draw nothing.
PartitionCut cut_links(const PartitionSpec& spec, size_t nodes, Choices& choices, StreamId stream,
                       const std::vector<std::string>& names);

// Which directed links currently carry messages: the union of the cuts in force.
class LinkRules {
 public:
  explicit LinkRules(size_t nodes = 0) : n_(nodes), cuts_(nodes * nodes, 0) {}
  // Ends every rule and sizes the matrix for `nodes` nodes.
  void resize(size_t nodes);
  bool blocked(NodeId from, NodeId to) const {
    return from < n_ && to < n_ && cuts_[from * n_ + to] != 0;
  }
  // Puts rule `id` in force, cutting `links` (links of nodes beyond the size are ignored).
  void add(PartitionId id, const std::vector<Link>& links);
  // Ends rule `id`; false when no such rule is in force.
  bool remove(PartitionId id);
  // Ends every rule.
  void heal();
  // Asked after every fault: a count, not a scan of the matrix.
  bool any_blocked() const { return blocked_count_ != 0; }
  // Some rule is in force (one whose cut is empty included).
  bool any_in_force() const { return !rules_.empty(); }
  bool in_force(PartitionId id) const { return rules_.count(id) != 0; }
  // The ids in force, in increasing order.
  std::vector<PartitionId> ids() const;
  size_t size() const { return n_; }

 private:
  size_t n_;
  std::vector<uint16_t> cuts_;  // per link, how many rules in force cut it
  size_t blocked_count_ = 0;    // links with at least one cut
  std::map<PartitionId, std::vector<Link>> rules_;
};

}  // namespace faultline::sim
