#pragma once
// The wire vocabulary of three-phase commit (Skeen, "Nonblocking Commit Protocols", SIGMOD 1981):
// can-commit (CanCommit, VoteReply), pre-commit (Propose with commit=true at ballot 0, acked by
// ProposeAck), do-commit (Outcome); and of the termination protocol (Skeen & Stonebraker, "A
// Formal Model of Crash Recovery in a Distributed System", 1983): a participant that times out
// becomes coordinator with a higher ballot, asks the survivors' states (StateRequest,
// StateReply), moves them to the state it chose (Propose pre-commit or pre-abort) and decides.
// Ballots and the "highest attempt wins" rule are those of the quorum variant (Skeen, "A
// Quorum-Based Commit Protocol", 1982, as made safe by Keidar & Dolev's E3PC, 1998).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::protocols::threepc {

enum class State : uint8_t {
  kInitial,       // q: has not voted
  kWaiting,       // w: voted yes, uncertain
  kPreCommitted,  // p: will commit unless a newer attempt pre-aborts
  kPreAborted,    // pa (quorum variant): will abort unless a newer attempt pre-commits
  kCommitted,
  kAborted,
};
NLOHMANN_JSON_SERIALIZE_ENUM(State, {{State::kInitial, "initial"},
                                     {State::kWaiting, "waiting"},
                                     {State::kPreCommitted, "pre-committed"},
                                     {State::kPreAborted, "pre-aborted"},
                                     {State::kCommitted, "committed"},
                                     {State::kAborted, "aborted"}})

struct CanCommit {
  static constexpr const char* kName = "CanCommit";
  static constexpr const char* kLabel = "{txn}";
  std::string txn;
  std::vector<std::string> participants;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CanCommit, txn, participants)

struct VoteReply {
  static constexpr const char* kName = "VoteReply";
  static constexpr const char* kLabel = "{yes?yes:no} {txn}";
  std::string txn;
  bool yes = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(VoteReply, txn, yes)

// Move to pre-commit (commit=true) or pre-abort, as attempt `ballot`. The original coordinator
// proposes pre-commit at ballot 0 once every vote is yes.
struct Propose {
  static constexpr const char* kName = "Propose";
  static constexpr const char* kLabel = "{commit?pre-commit:pre-abort} {txn} b{ballot}";
  std::string txn;
  uint64_t ballot = 0;
  bool commit = false;
  std::vector<std::string> participants;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Propose, txn, ballot, commit, participants)

struct ProposeAck {
  static constexpr const char* kName = "ProposeAck";
  static constexpr const char* kLabel = "{txn} b{ballot}";
  std::string txn;
  uint64_t ballot = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ProposeAck, txn, ballot)

// do-commit or abort: the decision, also the answer of a decided node to anything about txn.
struct Outcome {
  static constexpr const char* kName = "Outcome";
  static constexpr const char* kLabel = "{commit?commit:abort} {txn}";
  std::string txn;
  bool commit = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Outcome, txn, commit)

struct StateRequest {
  static constexpr const char* kName = "StateRequest";
  static constexpr const char* kLabel = "{txn} b{ballot}";
  std::string txn;
  uint64_t ballot = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StateRequest, txn, ballot)

struct StateReply {
  static constexpr const char* kName = "StateReply";
  static constexpr const char* kLabel = "{state} {txn} b{ballot}{recovered? recovered}";
  std::string txn;
  uint64_t ballot = 0;
  State state = State::kInitial;
  uint64_t attempt = 0;  // the ballot of its last pre-commit or pre-abort
  // It crashed while in doubt and restarted: it may have missed a decision taken meanwhile.
  bool recovered = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StateReply, txn, ballot, state, attempt, recovered)

// A participant's durable record of one transaction, synced before every reply that depends on it.
struct TxnRecord {
  static constexpr const char* kName = "TxnRecord";
  State state = State::kInitial;
  uint64_t attempt = 0;
  uint64_t promised = 0;  // no proposal below this ballot is accepted any more
  std::vector<std::string> participants;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TxnRecord, state, attempt, promised, participants)

// The coordinator's durable record of one transaction: written (synced) before its first
// can-commit goes out, so that a restarted coordinator knows which transactions it began, and again
// with the decision.
struct CoordinatorRecord {
  static constexpr const char* kName = "CoordinatorRecord";
  bool decided = false;
  bool commit = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CoordinatorRecord, decided, commit)

}  // namespace faultline::protocols::threepc
