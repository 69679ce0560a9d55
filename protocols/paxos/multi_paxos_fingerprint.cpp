// A Multi-Paxos server's state as the exhaustive search sees it (sim::Node::fingerprint_state):
// every member that can change what the server does next, so that two orders of inputs that
// leave it the same are one state. Left out: the options (fixed when it was built), the ghost
// (the harness hashes it, World::add_ghost_state), and the two TimerIds, held only to cancel and
// recognise the one takeover timer and the one heartbeat series the server keeps armed (each is
// cancelled before it is armed again, so a firing with its tag is always the current one).
#include "protocols/kv/store.hpp"
#include "protocols/paxos/multi_paxos_server.hpp"

namespace faultline::protocols::paxos {
namespace {

void hash_value(sim::StateHasher& h, const SlotValue& v) {
  h.add(v.noop);
  kv::hash_command(h, v.command);
}

// A vote carries its slot as the map's key does; the value is what a promise reports.
void hash_vote(sim::StateHasher& h, const SlotVote& v) {
  h.add(v.slot);
  h.add(v.ballot.word());
  hash_value(h, v.value);
}

}  // namespace

bool MultiPaxosServer::fingerprint_state(sim::StateHasher& h) const {
  const auto node = [](sim::StateHasher& s, sim::NodeId id) { s.add(id); };
  const auto vote = [](sim::StateHasher& s, const auto& entry) { hash_vote(s, entry.second); };
  // The acceptor as it is in memory: with the forget-promise bug it is not what storage holds,
  // and the world hashes storage separately.
  h.add(acceptor_.promised().word());
  h.add_range(acceptor_.votes(), vote);
  h.add(role_).add(highest_round_seen_).add(leader_);
  // What only one role reads is hashed in that role alone: each role is entered through
  // start_phase1, become_leader or step_down, which set these afresh, so a value left over from
  // an earlier role can never be read again.
  if (role_ != Role::kFollower) h.add(ballot_.word());
  if (role_ == Role::kCandidate) {
    h.add(from_slot_).add_range(promised_by_, node).add_range(adopted_, vote);
  }
  if (role_ == Role::kLeader) {
    h.add(next_slot_);
    h.add_range(proposals_, [&node](sim::StateHasher& s, const auto& entry) {
      s.add(entry.first);
      hash_value(s, entry.second.value);
      s.add_range(entry.second.accepted, node);
    });
  }
  // A chosen slot's ballot counts: the parked request it answers is ok only in the same ballot,
  // and catch-up replies pass it on.
  h.add_range(chosen_, [](sim::StateHasher& s, const auto& entry) {
    s.add(entry.first);
    s.add(entry.second.ballot.word());
    hash_value(s, entry.second.value);
  });
  h.add(applied_);
  kv_.hash(h);
  pending_.hash(h);
  return true;
}

}  // namespace faultline::protocols::paxos
