#pragma once
// A single-decree Paxos acceptor (Lamport, "Paxos Made Simple", §2.2, P1a and phase 2b, and
// §2.3 on stable storage): it promises never to accept a ballot below the highest prepare it has
// answered, and accepts any accept request not below that promise. Both facts are written to
// storage and synced before the reply leaves, because a promise forgotten on restart lets a
// second value be chosen (the forget-promise-on-restart variant shows it).

#include <string>

#include "protocols/paxos/messages.hpp"
#include "protocols/paxos/paxos_ghost.hpp"
#include "sim/node.hpp"

namespace faultline::protocols::paxos {

struct AcceptorOptions {
  // Promise and accepted proposal synced to disk before replying; off (the known bug), a restart
  // comes back with an empty memory.
  bool persist = true;
};

class Acceptor : public sim::Node {
 public:
  Acceptor(AcceptorOptions options, PaxosGhost& ghost) : options_(options), ghost_(&ghost) {}
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, const sim::Message& message) override;
  std::string describe() const override;
  bool fingerprint_state(sim::StateHasher& hasher) const override {
    hasher.add(state_.promised.word())
        .add(state_.accepted_ballot.word())
        .add(state_.accepted_value);
    return true;
  }

  const AcceptorRecord& state() const { return state_; }

 private:
  void store(sim::Context& ctx);

  AcceptorOptions options_;
  PaxosGhost* ghost_;
  AcceptorRecord state_;
};

}  // namespace faultline::protocols::paxos
