// The kv state machine with session deduplication (Ongaro's thesis, §6.3).
#include "protocols/kv/store.hpp"

namespace faultline::protocols::kv {

KvResult KvStore::apply(const KvCommand& command) {
  Session& session = sessions_[command.client];
  // Clients run one operation at a time, so anything at or below the last sequence number is a
  // retry of an operation already applied: answer as the first time, change nothing.
  if (command.seq != 0 && command.seq <= session.last_seq) return session.last_result;
  KvResult result;
  if (command.f == "put") {
    data_[command.key] = command.value;
  } else if (command.f == "append") {
    data_[command.key] += command.value;
  } else {
    result.value = read(command.key);
  }
  if (command.seq != 0) session = Session{command.seq, result};
  return result;
}

std::string KvStore::read(const std::string& key) const {
  auto it = data_.find(key);
  return it == data_.end() ? std::string() : it->second;
}

}  // namespace faultline::protocols::kv
