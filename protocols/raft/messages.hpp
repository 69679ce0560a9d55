#pragma once
// Raft's wire and disk vocabulary (Ongaro & Ousterhout, "In Search of an Understandable Consensus
// Algorithm", 2014, Figure 2): RequestVote and AppendEntries with their replies, and the records
// a server persists. AppendEntries also carries a heartbeat round number, echoed by the reply,
// which is how a leader confirms it still leads before serving a ReadIndex read (Ongaro's
// thesis, §6.4) and how a lease-holding leader dates its lease (§6.4.1). PreVote and its reply
// are the thesis's §9.6 pre-election: a server asks whether it could win before it disrupts
// anyone with a higher term.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocols/kv/messages.hpp"

namespace faultline::protocols::raft {

struct LogEntry {
  static constexpr const char* kName = "LogEntry";
  uint64_t term = 0;
  bool noop = false;  // the entry a new leader appends to commit something of its own term (§8)
  kv::KvCommand command;
  // Non-empty: a configuration entry (thesis §4.1), the names of every voting member; it takes
  // effect on each server as soon as it is in that server's log.
  std::vector<std::string> config;
  bool operator==(const LogEntry&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LogEntry, term, noop, command, config)

// An administrator's request to add or remove one server (thesis §4.1); answered with a
// kv::ClientReply: "ok" once the configuration without (or with) it is committed.
struct MembershipChange {
  static constexpr const char* kName = "MembershipChange";
  static constexpr const char* kLabel = "{op} {server}";
  std::string op;  // "add" or "remove"
  std::string server;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MembershipChange, op, server)

struct RequestVote {
  static constexpr const char* kName = "RequestVote";
  static constexpr const char* kLabel = "t{term} last i{last_log_index} t{last_log_term}";
  uint64_t term = 0;
  uint64_t last_log_index = 0;
  uint64_t last_log_term = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestVote, term, last_log_index, last_log_term)

struct VoteReply {
  static constexpr const char* kName = "VoteReply";
  static constexpr const char* kLabel = "t{term} {granted?yes:no}";
  uint64_t term = 0;
  bool granted = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(VoteReply, term, granted)

// "Would you vote for me in `term`?" (thesis §9.6), asked before the asker increments its own
// term; answering changes nothing on the receiver.
struct PreVote {
  static constexpr const char* kName = "PreVote";
  static constexpr const char* kLabel = "t{term} last i{last_log_index} t{last_log_term}";
  uint64_t term = 0;  // the term the asker would stand in: its current term + 1
  uint64_t last_log_index = 0;
  uint64_t last_log_term = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PreVote, term, last_log_index, last_log_term)

struct PreVoteReply {
  static constexpr const char* kName = "PreVoteReply";
  static constexpr const char* kLabel = "t{asked} {granted?yes:no}";
  uint64_t term = 0;   // the receiver's current term
  uint64_t asked = 0;  // the PreVote's term, so a reply to an earlier attempt is not counted
  bool granted = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PreVoteReply, term, asked, granted)

struct AppendEntries {
  static constexpr const char* kName = "AppendEntries";
  static constexpr const char* kLabel =
      "t{term} {#entries?i{prev_log_index+1}{#entries-1?..{prev_log_index+#entries}} "
      "(t{entries.0.term}):hb i{prev_log_index}} c{leader_commit}";
  uint64_t term = 0;
  uint64_t prev_log_index = 0;
  uint64_t prev_log_term = 0;
  std::vector<LogEntry> entries;
  uint64_t leader_commit = 0;
  uint64_t round = 0;  // heartbeat round, for ReadIndex
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AppendEntries, term, prev_log_index, prev_log_term, entries,
                                   leader_commit, round)

struct AppendReply {
  static constexpr const char* kName = "AppendReply";
  static constexpr const char* kLabel = "t{term} {success?ok i{match_index}:no}";
  uint64_t term = 0;
  bool success = false;
  uint64_t match_index = 0;  // on success: the last index known to match the leader's log
  uint64_t round = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AppendReply, term, success, match_index, round)

// Persistent state on all servers (Figure 2): currentTerm and votedFor, under one key.
struct HardState {
  static constexpr const char* kName = "HardState";
  uint64_t term = 0;
  int64_t voted_for = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(HardState, term, voted_for)

}  // namespace faultline::protocols::raft
