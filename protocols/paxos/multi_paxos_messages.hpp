#pragma once
// The wire and disk vocabulary of Multi-Paxos (Lamport, "Paxos Made Simple", 2001, §3; van
// Renesse & Altinbuken, "Paxos Made Moderately Complex", 2015): one phase 1 covers every slot
// from a given one on, so a leader pays it once per ballot rather than once per command; phase 2
// is per slot; chosen values are announced and fetched by replicas that missed them. Ballots are
// single-decree Paxos's (round, server index).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocols/kv/messages.hpp"
#include "protocols/paxos/messages.hpp"

namespace faultline::protocols::paxos {

// What a slot of the replicated log holds: a client's kv command, or a no-op a new leader uses
// to fill a slot that no promise reported a value for (§3: "it fills the gaps with no-ops").
struct SlotValue {
  static constexpr const char* kName = "SlotValue";
  bool noop = false;
  kv::KvCommand command;
  bool operator==(const SlotValue&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SlotValue, noop, command)

// An acceptor's vote in one slot: the highest ballot it accepted there, and the value.
struct SlotVote {
  static constexpr const char* kName = "SlotVote";
  uint64_t slot = 0;
  Ballot ballot;
  SlotValue value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SlotVote, slot, ballot, value)

// Phase 1a for every slot at or above `from_slot` (the sender knows the slots below it chosen).
struct MultiPrepare {
  static constexpr const char* kName = "MultiPrepare";
  static constexpr const char* kLabel = "b{ballot.round}.{ballot.proposer} from s{from_slot}";
  Ballot ballot;
  uint64_t from_slot = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MultiPrepare, ballot, from_slot)

// Phase 1b: the promise, with the acceptor's votes in every slot at or above `from_slot`.
struct MultiPromise {
  static constexpr const char* kName = "MultiPromise";
  static constexpr const char* kLabel = "b{ballot.round}.{ballot.proposer} {#votes} votes";
  Ballot ballot;
  std::vector<SlotVote> votes;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MultiPromise, ballot, votes)

// Phase 2a for one slot.
struct SlotAccept {
  static constexpr const char* kName = "SlotAccept";
  static constexpr const char* kLabel =
      "s{slot} b{ballot.round}.{ballot.proposer} {value.noop?noop:{value.command.f} "
      "{value.command.key}}";
  Ballot ballot;
  uint64_t slot = 0;
  SlotValue value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SlotAccept, ballot, slot, value)

// Phase 2b for one slot.
struct SlotAccepted {
  static constexpr const char* kName = "SlotAccepted";
  static constexpr const char* kLabel = "s{slot} b{ballot.round}.{ballot.proposer}";
  Ballot ballot;
  uint64_t slot = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SlotAccepted, ballot, slot)

// A prepare, accept or heartbeat for `ballot` refused: the acceptor promised `promised`.
struct MultiNack {
  static constexpr const char* kName = "MultiNack";
  static constexpr const char* kLabel =
      "b{ballot.round}.{ballot.proposer} promised b{promised.round}.{promised.proposer}";
  Ballot ballot;
  Ballot promised;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MultiNack, ballot, promised)

// A slot's value is chosen (a majority accepted it in `ballot`): the learners' announcement.
struct SlotChosen {
  static constexpr const char* kName = "SlotChosen";
  static constexpr const char* kLabel =
      "s{slot} b{ballot.round}.{ballot.proposer} {value.noop?noop:{value.command.f} "
      "{value.command.key}}";
  uint64_t slot = 0;
  Ballot ballot;
  SlotValue value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SlotChosen, slot, ballot, value)

// The leader is alive; every slot below `chosen_below` is chosen at the leader. A replica that
// has learnt fewer asks for the rest.
struct LeaderHeartbeat {
  static constexpr const char* kName = "LeaderHeartbeat";
  static constexpr const char* kLabel = "b{ballot.round}.{ballot.proposer} chosen<s{chosen_below}";
  Ballot ballot;
  uint64_t chosen_below = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LeaderHeartbeat, ballot, chosen_below)

// A lagging replica asks a peer for the chosen values of slots from `from_slot` on.
struct CatchUpRequest {
  static constexpr const char* kName = "CatchUpRequest";
  static constexpr const char* kLabel = "from s{from_slot}";
  uint64_t from_slot = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CatchUpRequest, from_slot)

// The answer: chosen values the peer knows, contiguous from the requested slot.
struct CatchUpReply {
  static constexpr const char* kName = "CatchUpReply";
  static constexpr const char* kLabel = "{#chosen} slots";
  std::vector<SlotChosen> chosen;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CatchUpReply, chosen)

// Durable acceptor state: the promise under one key, and each slot's vote under its own key, so
// that an accept rewrites one small record rather than the whole log.
struct PromiseRecord {
  static constexpr const char* kName = "PromiseRecord";
  Ballot promised;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PromiseRecord, promised)

}  // namespace faultline::protocols::paxos
