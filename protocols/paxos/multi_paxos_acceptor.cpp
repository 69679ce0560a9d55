// Multi-Paxos acceptor: Lamport, "Paxos Made Simple", 2001, §2.2 (phases 1b and 2b), §2.3
// (stable storage) and §3 (one prepare for all instances at once).
#include "protocols/paxos/multi_paxos_acceptor.hpp"

#include <cstdio>
#include <string>

namespace faultline::protocols::paxos {
namespace {

const std::string kPromiseKey = "promise";
const std::string kVotePrefix = "vote/";

// Zero-padded, so that the storage's lexicographic order is slot order.
std::string vote_key(uint64_t slot) {
  char digits[21];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(slot));
  return kVotePrefix + digits;
}

}  // namespace

void SlotAcceptor::load(const sim::Storage& storage) {
  if (!durable_) return;
  if (const auto* saved = storage.get<PromiseRecord>(kPromiseKey)) promised_ = saved->promised;
  for (const std::string& key : storage.keys_with_prefix(kVotePrefix)) {
    if (const auto* vote = storage.get<SlotVote>(key)) votes_[vote->slot] = *vote;
  }
}

void SlotAcceptor::persist_promise(sim::Storage& storage) {
  if (!durable_) return;
  storage.put(kPromiseKey, PromiseRecord{promised_});
  storage.sync();  // before the promise leaves: a promise is a promise across a crash
}

std::optional<MultiPromise> SlotAcceptor::prepare(sim::Storage& storage,
                                                  const MultiPrepare& prepare) {
  if (prepare.ballot < promised_) return std::nullopt;
  if (prepare.ballot > promised_) {
    promised_ = prepare.ballot;
    persist_promise(storage);
  }
  MultiPromise promise{prepare.ballot, {}};
  for (auto it = votes_.lower_bound(prepare.from_slot); it != votes_.end(); ++it) {
    promise.votes.push_back(it->second);
  }
  return promise;
}

bool SlotAcceptor::accept(sim::Storage& storage, const SlotAccept& accept) {
  if (accept.ballot < promised_) return false;
  const bool raise = accept.ballot > promised_;
  promised_ = accept.ballot;
  SlotVote& vote = votes_[accept.slot];
  const bool same = vote.ballot == accept.ballot && vote.value == accept.value;
  vote = SlotVote{accept.slot, accept.ballot, accept.value};
  if (!durable_) return true;
  if (raise) storage.put(kPromiseKey, PromiseRecord{promised_});
  if (!same) storage.put(vote_key(accept.slot), vote);
  if (raise || !same) storage.sync();  // the vote is stable before Accepted leaves
  return true;
}

}  // namespace faultline::protocols::paxos
