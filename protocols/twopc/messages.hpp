#pragma once
// The wire vocabulary of two-phase commit (Gray, "Notes on Data Base Operating Systems", 1978;
// Bernstein, Hadzilacos & Goodman, "Concurrency Control and Recovery in Database Systems", §7.3-
// 7.4): the voting phase (Prepare, Vote), the decision phase (Decision, DecisionAck), and the
// termination protocol of a participant in doubt (DecisionQuery to the coordinator, then to the
// other participants: cooperative termination, §7.4).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::protocols::twopc {

// Phase 1: the coordinator asks every participant to vote. The list of participants lets a
// participant in doubt ask the others later.
struct Prepare {
  static constexpr const char* kName = "Prepare";
  static constexpr const char* kLabel = "{txn}";
  std::string txn;
  std::vector<std::string> participants;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Prepare, txn, participants)

struct Vote {
  static constexpr const char* kName = "Vote";
  static constexpr const char* kLabel = "{yes?yes:no} {txn}";
  std::string txn;
  bool yes = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Vote, txn, yes)

// Phase 2: the coordinator's decision, re-sent until every participant acknowledged it.
struct Decision {
  static constexpr const char* kName = "Decision";
  static constexpr const char* kLabel = "{commit?commit:abort} {txn}";
  std::string txn;
  bool commit = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Decision, txn, commit)

struct DecisionAck {
  static constexpr const char* kName = "DecisionAck";
  static constexpr const char* kLabel = "{txn}";
  std::string txn;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DecisionAck, txn)

// Termination: "what was decided for txn?" Asked of the coordinator, then of the peers.
struct DecisionQuery {
  static constexpr const char* kName = "DecisionQuery";
  static constexpr const char* kLabel = "{txn}";
  std::string txn;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DecisionQuery, txn)

// "commit" or "abort" (a decision), or "uncertain" (the answerer voted yes and is in doubt too).
struct DecisionAnswer {
  static constexpr const char* kName = "DecisionAnswer";
  static constexpr const char* kLabel = "{status} {txn}";
  std::string txn;
  std::string status;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DecisionAnswer, txn, status)

// Durable records. A participant's vote is written and synced before a yes leaves; every
// decision is written and synced before it is acknowledged or sent.
struct VoteRecord {
  static constexpr const char* kName = "VoteRecord";
  bool yes = false;
  std::vector<std::string> participants;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(VoteRecord, yes, participants)

struct DecisionRecord {
  static constexpr const char* kName = "DecisionRecord";
  bool commit = false;
  bool acknowledged = false;  // coordinator only: every participant acknowledged it
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DecisionRecord, commit, acknowledged)

}  // namespace faultline::protocols::twopc
