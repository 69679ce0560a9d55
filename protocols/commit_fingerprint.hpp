#pragma once
// What the coordinators of 2PC and 3PC keep alike about a transaction, as their fingerprints
// (sim::Node::fingerprint_state) feed it: its name, the votes counted, the decision, and the
// clients waiting for it (as sim::message_hash sees them: no ids). Each adds the rest of its own.

#include <string>

#include "sim/state_hasher.hpp"
#include "sim/untimed.hpp"

namespace faultline::protocols {

template <class Txn>
void hash_commit_transaction(sim::StateHasher& h, const std::string& txn, const Txn& t) {
  h.add(txn);
  h.add_range(t.votes,
              [](sim::StateHasher& v, const auto& vote) { v.add(vote.first).add(vote.second); });
  h.add(t.decision);
  h.add_range(t.waiting_clients,
              [](sim::StateHasher& w, const sim::Message& m) { w.add(sim::message_hash(m)); });
}

}  // namespace faultline::protocols
