#pragma once
// The wire vocabulary of the queue family: a broker with publisher confirms and consumer acks in
// the manner of RabbitMQ (the tutorials' `basic_publish` with `confirm_select`, `basic_get`, and
// `basic_ack`), an optional mirror that takes over when the primary falls silent, and the sink the
// consumers apply their effects to.
//
// Producer -> broker: Publish, answered by PublishReply ("confirmed" once the message is as
// durable as the broker promises). Consumer -> broker: Get, answered by GetReply (a message or
// "empty"); with manual acks the consumer sends Ack (answered by AckReply) after applying the
// message. Consumer -> sink:
// Apply, answered by Applied. Primary -> mirror: Sync (the whole queue, versioned), answered by
// SyncAck, or SyncReject when the mirror knows a newer epoch.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::protocols::queue {

// One message: `id` is the same for every copy of it (a republish, a redelivery), "p1-3" for the
// third message of producer p1.
struct QueueMessage {
  std::string id;
  std::string producer;
  int64_t seq = 0;
  bool operator==(const QueueMessage&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(QueueMessage, id, producer, seq)

struct Publish {
  static constexpr const char* kName = "Publish";
  static constexpr const char* kLabel = "{message.id}";
  QueueMessage message;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Publish, message)

// "confirmed", or "not-primary" with the broker this one believes is primary (`primary`, or "").
struct PublishReply {
  static constexpr const char* kName = "PublishReply";
  static constexpr const char* kLabel = "{status} {id}";
  std::string id;
  std::string status;
  std::string primary;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PublishReply, id, status, primary)

// basic_get: the head of the queue, removed at once with `auto_ack`, or held as unacknowledged
// until the consumer's Ack (or redelivered after the broker's ack timeout).
struct Get {
  static constexpr const char* kName = "Get";
  static constexpr const char* kLabel = "{auto_ack?auto-ack:manual}";
  bool auto_ack = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Get, auto_ack)

// "message" (with `delivery` and `message`), "empty", or "not-primary" (with `primary`).
struct GetReply {
  static constexpr const char* kName = "GetReply";
  static constexpr const char* kLabel = "{status}{message.id? {message.id}}";
  std::string status;
  uint64_t delivery = 0;
  QueueMessage message;
  std::string primary;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(GetReply, status, delivery, message, primary)

// basic_ack of one delivery, answered by AckReply (AMQP's acks ride a reliable connection; here
// the consumer resends one until answered, a few times, and an ack never answered means one more
// delivery).
struct Ack {
  static constexpr const char* kName = "Ack";
  static constexpr const char* kLabel = "{id}";
  uint64_t delivery = 0;
  std::string id;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Ack, delivery, id)

struct AckReply {
  static constexpr const char* kName = "AckReply";
  static constexpr const char* kLabel = "{id}";
  std::string id;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AckReply, id)

// The consumer's effect: `once` asks the sink to record the id with the effect in one transaction
// and skip a repeat (an idempotent consumer); without it every Apply is applied.
struct Apply {
  static constexpr const char* kName = "Apply";
  static constexpr const char* kLabel = "{id}";
  std::string id;
  bool once = true;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Apply, id, once)

struct Applied {
  static constexpr const char* kName = "Applied";
  static constexpr const char* kLabel = "{id}{duplicate? duplicate}";
  std::string id;
  bool duplicate = false;  // skipped: applied before
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Applied, id, duplicate)

// --- replication ------------------------------------------------------------------------------

// The broker's durable state, also what the primary sends its mirror: the epoch (raised by each
// failover), whether this broker claimed it (is its primary), the version of the contents (raised
// by every change the primary makes), the queue in order, and every id ever enqueued (a
// republished message is confirmed again, not queued twice). `answered_gets` holds the call ids of
// the latest auto-ack Gets this broker took a message for (not mirrored): a network copy of one of
// those requests must not take another message.
struct BrokerState {
  static constexpr const char* kName = "BrokerState";
  int64_t epoch = 1;
  bool claimed = false;
  int64_t version = 0;
  std::vector<QueueMessage> queue;
  std::vector<std::string> seen;
  std::vector<uint64_t> answered_gets;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BrokerState, epoch, claimed, version, queue, seen, answered_gets)

// Primary -> mirror, after each change and as a heartbeat: the whole contents, which the mirror
// takes if its epoch is not older than the mirror's and the version is newer.
struct Sync {
  static constexpr const char* kName = "Sync";
  static constexpr const char* kLabel = "e{epoch} v{version} {#queue} queued";
  int64_t epoch = 1;
  int64_t version = 0;
  std::vector<QueueMessage> queue;
  std::vector<std::string> seen;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Sync, epoch, version, queue, seen)

struct SyncAck {
  static constexpr const char* kName = "SyncAck";
  static constexpr const char* kLabel = "e{epoch} v{version}";
  int64_t epoch = 1;
  int64_t version = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SyncAck, epoch, version)

// The mirror has promoted itself in a newer epoch: the sender is primary no longer.
struct SyncReject {
  static constexpr const char* kName = "SyncReject";
  static constexpr const char* kLabel = "e{epoch}";
  int64_t epoch = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SyncReject, epoch)

// A producer's next message, durable so a restarted producer goes on where it was.
struct ProducerProgress {
  static constexpr const char* kName = "ProducerProgress";
  int64_t next = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ProducerProgress, next)

// The sink's record that an id was applied (kept by an idempotent consumer's transaction).
struct AppliedMark {
  static constexpr const char* kName = "AppliedMark";
  bool set = true;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AppliedMark, set)

}  // namespace faultline::protocols::queue
