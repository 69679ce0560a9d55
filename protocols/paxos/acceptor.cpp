// Single-decree Paxos acceptor: Lamport, "Paxos Made Simple", 2001, §2.2 (phases 1b and 2b)
// and §2.3 (stable storage).
#include "protocols/paxos/acceptor.hpp"

namespace faultline::protocols::paxos {
namespace {
const std::string kStateKey = "acceptor";
const std::string kInstance = "0";  // single-decree: one instance
}  // namespace

void Acceptor::on_start(sim::Context& ctx) {
  if (!options_.persist) return;
  if (const auto* saved = ctx.storage().get<AcceptorRecord>(kStateKey)) state_ = *saved;
}

void Acceptor::store(sim::Context& ctx) {
  if (!options_.persist) return;
  ctx.storage().put(kStateKey, state_);
  ctx.storage().sync();  // before the reply leaves: a promise is a promise across a crash
}

void Acceptor::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* prepare = message.payload.as<Prepare>()) {
    // P1a: answer only a prepare above every one answered so far (a repeated ballot is refused:
    // its proposer already has our promise, and a restarted proposer never reuses one).
    if (prepare->ballot <= state_.promised) {
      ctx.send(message.from, Nack{prepare->ballot, state_.promised});
      return;
    }
    state_.promised = prepare->ballot;
    store(ctx);
    ctx.send(message.from, Promise{prepare->ballot, state_.accepted_ballot, state_.accepted_value});
  } else if (const auto* accept = message.payload.as<Accept>()) {
    if (accept->ballot < state_.promised) {
      ctx.send(message.from, Nack{accept->ballot, state_.promised});
      return;
    }
    state_.promised = accept->ballot;
    state_.accepted_ballot = accept->ballot;
    state_.accepted_value = accept->value;
    store(ctx);
    ghost_->record_accept(kInstance, ctx.name(), accept->ballot, accept->value,
                          ctx.observer_time().ns());
    ctx.send(message.from, Accepted{accept->ballot});
  }
}

std::string Acceptor::describe() const {
  std::string out = "promised " + state_.promised.text();
  if (!state_.accepted_ballot.is_null()) {
    out += ", accepted " + state_.accepted_ballot.text() + "=" + state_.accepted_value;
  }
  return out;
}

}  // namespace faultline::protocols::paxos
