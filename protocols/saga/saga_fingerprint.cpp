// The saga family's handler nodes as the exhaustive search sees them
// (sim::Node::fingerprint_state): the orchestrated step services, the choreographed services and
// the broker, each feeding every member its next answer, send or redelivery can depend on, so that
// two orders of inputs that leave it the same are one state. And the ghost (SagaGhost::hash):
// what the checkers' verdicts can depend on, which the world hashes beside the nodes. The
// orchestrators and the trip clients run on fibers and keep the world's chain of their inputs.
//
// Left out everywhere: options fixed at construction (a service's ledger options and its place in
// the choreography, the broker's subscriptions and timeout) and the ghost pointer.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "protocols/saga/broker.hpp"
#include "protocols/saga/choreography_service.hpp"
#include "protocols/saga/saga_ghost.hpp"
#include "protocols/saga/step_ledger.hpp"
#include "protocols/saga/step_service.hpp"

namespace faultline::protocols::saga {

bool StepService::fingerprint_state(sim::StateHasher& hasher) const {
  // A service answers each command from its ledger alone, and the ledger keeps nothing outside its
  // node's storage: every request record, unit count, balance and pending credit it acts on is read
  // afresh by every command and synced before every answer, and the world hashes storage
  // (unsynced writes included). So the service is its storage: nothing to add.
  (void)hasher;
  return true;
}

bool ChoreographyService::fingerprint_state(sim::StateHasher& hasher) const {
  // Its ledger is its storage, as a step service's. outbox_empty_ follows the outbox in storage,
  // but the harness reads it for quiescence (the moment every saga is judged all done or all
  // compensated), so it is fed as the verdict sees it.
  hasher.add(outbox_empty_);
  return true;
}

bool Broker::fingerprint_state(sim::StateHasher& hasher) const {
  // next_delivery_ numbers the next queue entries: their ids are on the wire (Deliver,
  // DeliverAck) and in the queue's storage keys, so two brokers that would number them apart
  // differ.
  hasher.add(next_delivery_);
  // The unacknowledged deliveries in id order, the order a redelivery sweep sends them in: each
  // with its subscriber, its event and when it was last sent (a sweep sends again only what has
  // waited redelivery_timeout on the broker's clock). The world hashes the clock beside it.
  hasher.add_range(pending_, [](sim::StateHasher& h, const auto& entry) {
    const QueuedEvent& queued = entry.second.entry;
    const SagaEvent& e = queued.event;
    h.add(entry.first).add(queued.subscriber);
    h.add(e.id).add(e.topic).add(e.saga).add(e.customer).add(e.amount);
    h.add(entry.second.sent);
  });
  return true;
}

void SagaGhost::hash(sim::StateHasher& hasher) const {
  // check_saga reads a step's events only through its net count (applications minus
  // compensations) as they come, per saga and step: a step applied while its net is 1 is applied
  // twice, one compensated while it is 0 has nothing to undo, and at quiescence a step stands when
  // it is at least 1. So the nets, not the events: not who applied them, or when (every state is
  // judged as it is reached). Kept whole, not clamped: with charge-once off, a charge applied
  // twice then refunded once still stands.
  std::map<std::pair<std::string, std::string>, int64_t> net;
  for (const checkers::SagaStepEvent& e : events_) {
    net[{e.saga, e.step}] += e.kind == checkers::SagaStepKind::applied ? 1 : -1;
  }
  hasher.add_range(net, [](sim::StateHasher& h, const auto& entry) {
    h.add(entry.first.first).add(entry.first.second).add(entry.second);
  });
  // The sagas judged at quiescence, with their steps, as a set: two orchestrators beginning theirs
  // in either order are one state. Not the owner, which no verdict reads.
  std::map<std::string, const std::vector<std::string>*> plans;
  for (const Begun& b : plans_) plans.emplace(b.plan.saga, &b.plan.steps);
  hasher.add_range(plans, [](sim::StateHasher& h, const auto& entry) {
    h.add(entry.first).add_range(*entry.second, [](sim::StateHasher& s, const std::string& step) {
      s.add(step);
    });
  });
  // A quantity's samples are not hashed: its value now is in its service's storage, and a bound
  // is judged on each sample as it is made. Only which quantities have ever left their bounds,
  // the verdict that stays once made.
  std::set<std::string> crossed;
  for (const auto* samples : {&units_, &balances_}) {
    for (const checkers::QuantitySample& s : *samples) {
      if (s.value < s.min || s.value > s.max) crossed.insert(s.subject);
    }
  }
  hasher.add_range(crossed,
                   [](sim::StateHasher& h, const std::string& subject) { h.add(subject); });
  // The two `sometimes` ("a saga completes", "a saga is compensated") read whether the counts
  // are above 0. The orchestrator that counted a saga's end may have crashed since, and a node
  // that is down counts as its storage alone.
  hasher.add(done_ > 0).add(compensated_ > 0);
}

}  // namespace faultline::protocols::saga
