#pragma once
// The acceptor half of a Multi-Paxos server (Lamport, "Paxos Made Simple", §2.2 and §3): one
// promise covers every slot, each slot keeps its own vote. Both are written to storage and synced
// before the reply leaves (§2.3); with `durable` off (the forget-promise-on-restart bug) they
// live in memory only, and a restart comes back having promised and accepted nothing.

#include <cstdint>
#include <map>
#include <optional>

#include "protocols/paxos/multi_paxos_messages.hpp"
#include "sim/storage.hpp"

namespace faultline::protocols::paxos {

class SlotAcceptor {
 public:
  explicit SlotAcceptor(bool durable) : durable_(durable) {}

  // Reads the promise and votes back after a (re)start.
  void load(const sim::Storage& storage);
  // Phase 1b: promises `prepare.ballot` unless a higher ballot was promised (nullopt). A
  // repeated prepare of the promised ballot is promised again: only its owner sends it.
  std::optional<MultiPromise> prepare(sim::Storage& storage, const MultiPrepare& prepare);
  // Phase 2b: accepts unless a higher ballot was promised (false).
  bool accept(sim::Storage& storage, const SlotAccept& accept);

  const Ballot& promised() const { return promised_; }
  const std::map<uint64_t, SlotVote>& votes() const { return votes_; }
  // The highest slot this acceptor voted in (0: none).
  uint64_t last_voted_slot() const { return votes_.empty() ? 0 : votes_.rbegin()->first; }

 private:
  void persist_promise(sim::Storage& storage);

  bool durable_;
  Ballot promised_;
  std::map<uint64_t, SlotVote> votes_;
};

}  // namespace faultline::protocols::paxos
