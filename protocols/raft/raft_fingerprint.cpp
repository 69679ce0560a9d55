// A Raft server's state as the exhaustive search sees it (sim::Node::fingerprint_state): every
// member that can change what the server does next, so that two orders of inputs that leave it
// the same are one state. Left out: the options (fixed when it was built), the ghost (the
// harness's), and the two TimerIds it holds only to cancel and recognise its own timers.
#include "protocols/kv/store.hpp"
#include "protocols/raft/raft_node.hpp"
#include "sim/untimed.hpp"

namespace faultline::protocols::raft {

bool RaftNode::fingerprint_state(sim::StateHasher& h) const {
  const auto node = [](sim::StateHasher& s, sim::NodeId id) { s.add(id); };
  const auto word = [](sim::StateHasher& s, uint64_t w) { s.add(w); };
  h.add(hard_.term).add(hard_.voted_for);
  // Every field of every entry: the prefix hashes cover only how an entry reads in findings.
  h.add_range(log_, [](sim::StateHasher& s, const LogEntry& e) {
    s.add(e.term).add(e.noop);
    hash_command(s, e.command);
    s.add_range(e.config, [](sim::StateHasher& c, const std::string& name) { c.add(name); });
  });
  h.add(role_).add(leader_).add(commit_).add(applied_);
  h.add_range(votes_, node).add_range(prevotes_, node).add(precandidate_);
  h.add_range(next_index_, word).add_range(match_index_, word).add_range(acked_round_, word);
  h.add(round_).add_range(round_sent_, [](sim::StateHasher& s, const auto& round) {
    s.add(round.first).add(round.second);
  });
  h.add(lease_until_).add(leader_contact_);
  h.add_range(members_, node).add(config_index_).add(last_change_size_);
  h.add_range(reads_, [](sim::StateHasher& s, const PendingRead& read) {
    s.add(sim::message_hash(read.request)).add(read.read_index).add(read.round).add(read.confirmed);
  });
  kv_.hash(h);
  pending_.hash(h);
  leases_.hash(h);
  return true;
}

}  // namespace faultline::protocols::raft
