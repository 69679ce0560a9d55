#pragma once
// The wire vocabulary of the saga family (Garcia-Molina & Salem, "Sagas", SIGMOD 1987; the
// orchestration and choreography styles as Richardson's "Microservices Patterns", ch. 4, names
// them). Orchestrated: an orchestrator sends each step service a StepCommand (apply a step,
// compensate it, or confirm it after the pivot) and waits for its StepReply. Choreographed: the
// services publish SagaEvents to a broker, which delivers them at least once to every subscriber
// of their topic until acknowledged.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::protocols::saga {

// What a step service is asked to do with one step of one saga. `request` names the step of the
// saga ("o1-t2-5f3a9c21/hotel"): a service that remembers request ids applies a retried command
// once.
struct StepCommand {
  static constexpr const char* kName = "StepCommand";
  static constexpr const char* kLabel = "{op} {step} {saga}";
  std::string saga;
  std::string step;  // "flight", "hotel", "car", "credit", "charge"
  std::string op;    // "apply", "compensate" or "confirm"
  std::string customer;
  int64_t amount = 0;  // money for "credit" and "charge"; one unit for a reservation
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StepCommand, saga, step, op, customer, amount)

// "applied", "refused" (no seat left, card declined, or compensated before it arrived),
// "compensated", "confirmed".
struct StepReply {
  static constexpr const char* kName = "StepReply";
  static constexpr const char* kLabel = "{step} {outcome} {saga}";
  std::string saga;
  std::string step;
  std::string outcome;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StepReply, saga, step, outcome)

// A domain event of the choreographed saga: `topic` is "<step>.<what happened>" ("flight.done",
// "hotel.failed", "car.undone", "charge.done") or "trip.requested". `id` is unique per event and
// the same for every copy of it (a republished or redelivered event).
struct SagaEvent {
  static constexpr const char* kName = "SagaEvent";
  static constexpr const char* kLabel = "{topic} {saga}";
  std::string id;
  std::string topic;
  std::string saga;
  std::string customer;
  int64_t amount = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SagaEvent, id, topic, saga, customer, amount)

// Publisher -> broker; the broker answers PublishAck once the event is durable in every
// subscriber's queue.
struct Publish {
  static constexpr const char* kName = "Publish";
  static constexpr const char* kLabel = "{event.topic} {event.saga}";
  SagaEvent event;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Publish, event)

struct PublishAck {
  static constexpr const char* kName = "PublishAck";
  static constexpr const char* kLabel = "{id}";
  std::string id;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PublishAck, id)

// Broker -> subscriber, repeated until the subscriber acknowledges `delivery`.
struct Deliver {
  static constexpr const char* kName = "Deliver";
  static constexpr const char* kLabel = "{event.topic} {event.saga} d{delivery}";
  uint64_t delivery = 0;
  SagaEvent event;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Deliver, delivery, event)

struct DeliverAck {
  static constexpr const char* kName = "DeliverAck";
  static constexpr const char* kLabel = "d{delivery}";
  uint64_t delivery = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DeliverAck, delivery)

// --- durable records ------------------------------------------------------------------------

// A step service's memory of one request: what it did, so that a retry gets the same answer and
// a compensation finds what to undo. "applied", "refused", "compensated", "confirmed", or
// "tombstone" (compensated before it arrived: a late apply must be refused).
struct RequestRecord {
  static constexpr const char* kName = "RequestRecord";
  std::string state;
  std::string customer;
  int64_t amount = 0;
  int64_t pending = 0;  // a credit not yet confirmed: spendable only by its own saga
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestRecord, state, customer, amount, pending)

struct Quantity {
  static constexpr const char* kName = "Quantity";
  int64_t value = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Quantity, value)

// The orchestrator's saga log: one record per saga, rewritten and synced before every step it
// sends, so that a restarted orchestrator knows which steps may have been applied.
struct SagaRecord {
  static constexpr const char* kName = "SagaRecord";
  std::string saga;
  std::string customer;
  int64_t price = 0;
  int64_t voucher = 0;
  std::string phase;  // "forward", "backward", "confirming", "done", "compensated"
  int64_t next = 0;   // the step to act on next in this phase (backward: counting down)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SagaRecord, saga, customer, price, voucher, phase, next)

// The next trip an orchestrator or a choreography client starts.
struct TripProgress {
  static constexpr const char* kName = "TripProgress";
  int64_t next = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TripProgress, next)

// A subscriber's queue entry at the broker.
struct QueuedEvent {
  static constexpr const char* kName = "QueuedEvent";
  std::string subscriber;
  SagaEvent event;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(QueuedEvent, subscriber, event)

// A choreography service's outbox entry: an event decided on (in the same sync as the effect that
// caused it) and not yet acknowledged by the broker (the transactional outbox).
struct OutboxEntry {
  static constexpr const char* kName = "OutboxEntry";
  SagaEvent event;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OutboxEntry, event)

struct Marker {
  static constexpr const char* kName = "Marker";
  bool set = true;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Marker, set)

}  // namespace faultline::protocols::saga
