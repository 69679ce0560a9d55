#pragma once
// A node's durable storage. Writes go to a volatile buffer first (the page cache): reads see them
// at once, but a crash loses every write not yet synced. With `torn` set, a crash keeps an
// arbitrary subset of the unsynced writes instead (a disk that reorders its write-back), drawn
// through the choice tape.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/payload.hpp"
#include "sim/state_hasher.hpp"

namespace faultline::sim {

class Storage {
 public:
  template <MessageType T>
  void put(const std::string& key, T value) {
    pending_[key] = Payload(std::move(value));
    ++writes_;
  }
  void erase(const std::string& key);

  template <class T>
  const T* get(const std::string& key) const {
    const Payload* p = find(key);
    return p ? p->as<T>() : nullptr;
  }
  bool contains(const std::string& key) const { return find(key) != nullptr; }
  // Keys beginning with `prefix`, in lexicographic order (as read, including unsynced writes).
  std::vector<std::string> keys_with_prefix(const std::string& prefix) const;

  // Makes every write so far durable (fsync).
  void sync();

  // The crash: unsynced writes are lost, or with `torn` each survives if `survives()` says so.
  void crash(bool torn, const std::function<bool()>& survives);
  // Forgets everything, synced or not (a disk replaced, or a store kept only in memory).
  void wipe();

  uint64_t writes() const { return writes_; }
  uint64_t syncs() const { return syncs_; }
  bool has_unsynced() const { return !pending_.empty(); }
  // Everything a read or a crash can tell apart: the synced records and the unsynced writes, by
  // key and contents (for fingerprints; the counts of writes and syncs are no part of it).
  void hash(StateHasher& hasher) const;

 private:
  const Payload* find(const std::string& key) const;

  std::map<std::string, Payload> durable_;
  // Last unsynced write per key; an empty optional is an unsynced erase.
  std::map<std::string, std::optional<Payload>> pending_;
  uint64_t writes_ = 0;
  uint64_t syncs_ = 0;
};

}  // namespace faultline::sim
