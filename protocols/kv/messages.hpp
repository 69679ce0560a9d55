#pragma once
// The wire vocabulary of the replicated key-value service, independent of the log beneath it
// (Raft, Multi-Paxos): a command with a client id and sequence number, so that a server can
// recognise a retried write and apply it once (Ongaro's thesis, §6.3, "Implementing
// linearizable semantics": each client session keeps the last sequence number and its result).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::protocols::kv {

struct KvCommand {
  static constexpr const char* kName = "KvCommand";
  uint64_t client = 0;  // a session id, unique per client incarnation
  uint64_t seq = 0;     // grows by one per operation of the session; retries reuse it
  std::string f;        // "get", "put" or "append"
  std::string key;
  std::string value;  // put: the new value; append: the piece appended
  bool operator==(const KvCommand&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(KvCommand, client, seq, f, key, value)

struct ClientRequest {
  static constexpr const char* kName = "ClientRequest";
  KvCommand command;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ClientRequest, command)

struct ClientReply {
  static constexpr const char* kName = "ClientReply";
  // "ok": done, `value` holds what a get read. "not-leader": try `leader_hint` (-1: unknown).
  // "retry": this server leads but cannot serve the request yet (no entry of its term
  // committed): try again shortly.
  std::string status;
  std::string value;
  int64_t leader_hint = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ClientReply, status, value, leader_hint)

}  // namespace faultline::protocols::kv
