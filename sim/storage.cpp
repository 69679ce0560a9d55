#include "sim/storage.hpp"

namespace faultline::sim {

void Storage::erase(const std::string& key) {
  pending_[key] = std::nullopt;
  ++writes_;
}

const Payload* Storage::find(const std::string& key) const {
  if (auto it = pending_.find(key); it != pending_.end()) {
    return it->second ? &*it->second : nullptr;
  }
  auto it = durable_.find(key);
  return it == durable_.end() ? nullptr : &it->second;
}

std::vector<std::string> Storage::keys_with_prefix(const std::string& prefix) const {
  std::vector<std::string> keys;
  auto durable = durable_.lower_bound(prefix);
  auto pending = pending_.lower_bound(prefix);
  auto in_prefix = [&](const std::string& k) { return k.compare(0, prefix.size(), prefix) == 0; };
  // Merge the two ordered maps; a pending entry overrides the durable one with the same key.
  while (true) {
    bool d_ok = durable != durable_.end() && in_prefix(durable->first);
    bool p_ok = pending != pending_.end() && in_prefix(pending->first);
    if (!d_ok && !p_ok) break;
    if (p_ok && (!d_ok || pending->first <= durable->first)) {
      if (d_ok && pending->first == durable->first) ++durable;
      if (pending->second) keys.push_back(pending->first);
      ++pending;
    } else {
      keys.push_back(durable->first);
      ++durable;
    }
  }
  return keys;
}

void Storage::sync() {
  for (auto& [key, value] : pending_) {
    if (value) {
      durable_.insert_or_assign(key, std::move(*value));
    } else {
      durable_.erase(key);
    }
  }
  pending_.clear();
  ++syncs_;
}

void Storage::crash(bool torn, const std::function<bool()>& survives) {
  if (torn) {
    for (auto& [key, value] : pending_) {
      if (!survives()) continue;
      if (value) {
        durable_.insert_or_assign(key, std::move(*value));
      } else {
        durable_.erase(key);
      }
    }
  }
  pending_.clear();
}

void Storage::wipe() {
  durable_.clear();
  pending_.clear();
}

void Storage::hash(StateHasher& hasher) const {
  const auto payload = [](StateHasher& h, const Payload& p) {
    h.add(p.type_name()).add(p.to_json().dump());
  };
  hasher.add_range(durable_, [&](StateHasher& h, const auto& record) {
    h.add(record.first);
    payload(h, record.second);
  });
  hasher.add_range(pending_, [&](StateHasher& h, const auto& write) {
    h.add(write.first).add(write.second.has_value());
    if (write.second) payload(h, *write.second);
  });
}

}  // namespace faultline::sim
