#pragma once
// The wire vocabulary of single-decree Paxos (Lamport, "Paxos Made Simple", 2001, §2.2-2.3):
// phase 1 (prepare/promise), phase 2 (accept/accepted), the rejections a proposer needs to stop
// wasting a round (the "optimization" of §2.2: an acceptor tells a proposer it promised higher),
// and the announcement of a chosen value to the learners (§2.3). Also the records acceptors and
// proposers keep in stable storage.

#include <compare>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::protocols::paxos {

// A proposal number (§2.2: "different proposers choose their numbers from disjoint sets"): a
// round counter, ties broken by the proposer's index, so two proposers never share a ballot.
struct Ballot {
  static constexpr const char* kName = "Ballot";
  uint64_t round = 0;     // 0 = no ballot yet (below every real one)
  uint32_t proposer = 0;  // 1-based index of the proposer that owns the ballot
  auto operator<=>(const Ballot&) const = default;
  bool is_null() const { return round == 0; }
  std::string text() const { return std::to_string(round) + "." + std::to_string(proposer); }
  // One word for a fingerprint (sim/state_hasher.hpp).
  uint64_t word() const { return round << 32 | proposer; }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Ballot, round, proposer)

// Phase 1a: "prepare request with number n".
struct Prepare {
  static constexpr const char* kName = "Prepare";
  static constexpr const char* kLabel = "b{ballot.round}.{ballot.proposer}";
  Ballot ballot;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Prepare, ballot)

// Phase 1b: a promise not to accept any proposal numbered below `ballot`, with the
// highest-numbered proposal the acceptor has accepted, if any.
struct Promise {
  static constexpr const char* kName = "Promise";
  static constexpr const char* kLabel =
      "b{ballot.round}.{ballot.proposer} {accepted_ballot.round?accepted "
      "b{accepted_ballot.round}.{accepted_ballot.proposer} {accepted_value}:none accepted}";
  Ballot ballot;
  Ballot accepted_ballot;  // null: nothing accepted yet
  std::string accepted_value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Promise, ballot, accepted_ballot, accepted_value)

// Phase 2a: "accept request for a proposal numbered n with value v".
struct Accept {
  static constexpr const char* kName = "Accept";
  static constexpr const char* kLabel = "b{ballot.round}.{ballot.proposer} {value}";
  Ballot ballot;
  std::string value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Accept, ballot, value)

// Phase 2b: the acceptor accepted the proposal.
struct Accepted {
  static constexpr const char* kName = "Accepted";
  static constexpr const char* kLabel = "b{ballot.round}.{ballot.proposer}";
  Ballot ballot;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Accepted, ballot)

// A prepare or accept for `ballot` refused: the acceptor has promised `promised`, which is higher.
struct Nack {
  static constexpr const char* kName = "Nack";
  static constexpr const char* kLabel =
      "b{ballot.round}.{ballot.proposer} promised b{promised.round}.{promised.proposer}";
  Ballot ballot;
  Ballot promised;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Nack, ballot, promised)

// A proposer whose proposal a majority accepted tells the learners the chosen value.
struct Decided {
  static constexpr const char* kName = "Decided";
  static constexpr const char* kLabel = "b{ballot.round}.{ballot.proposer} {value}";
  Ballot ballot;
  std::string value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Decided, ballot, value)

// What an acceptor must remember across a crash (§2.3: "an acceptor must remember this
// information even if it fails and then restarts"): its promise and its accepted proposal.
struct AcceptorRecord {
  static constexpr const char* kName = "AcceptorRecord";
  Ballot promised;
  Ballot accepted_ballot;
  std::string accepted_value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AcceptorRecord, promised, accepted_ballot, accepted_value)

// What a proposer must remember (§2.3: "the highest-numbered proposal it has tried to issue"), so
// that after a restart it never reuses a ballot it may have sent with another value.
struct ProposerRecord {
  static constexpr const char* kName = "ProposerRecord";
  uint64_t highest_round = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ProposerRecord, highest_round)

}  // namespace faultline::protocols::paxos
