#pragma once
// The key-value state machine a replicated log applies, with per-session deduplication (Ongaro's
// thesis, §6.3): a command whose sequence number the session has already applied returns the
// result it had the first time and changes nothing, so a write retried after a timeout takes
// effect once. Deterministic: every replica that applies the same commands reaches the same state.

#include <cstdint>
#include <map>
#include <string>

#include "protocols/kv/messages.hpp"

namespace faultline::protocols::kv {

struct KvResult {
  std::string value;  // get: the value read ("" when absent)
};

class KvStore {
 public:
  KvResult apply(const KvCommand& command);
  // A read outside the log (ReadIndex, lease or local reads): no session bookkeeping.
  std::string read(const std::string& key) const;
  size_t size() const { return data_.size(); }

 private:
  struct Session {
    uint64_t last_seq = 0;
    KvResult last_result;
  };
  std::map<std::string, std::string> data_;
  std::map<uint64_t, Session> sessions_;
};

}  // namespace faultline::protocols::kv
