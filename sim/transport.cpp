#include "sim/transport.hpp"

#include <algorithm>
#include <utility>

namespace faultline::sim {

Transport::Transport(const NetworkOptions& options, Choices& choices, StreamId stream)
    : options_(options), table_(options_), choices_(&choices), stream_(stream) {}

LinkTable Transport::set_options(const NetworkOptions& options) {
  LinkTable replaced = std::exchange(table_, LinkTable(options));
  options_ = options;
  return replaced;
}

void Transport::cut(PartitionId id, const std::vector<Link>& links, bool stacks, size_t nodes) {
  // Sized here, not as nodes are added: the rules are a nodes x nodes matrix, and re-making it per
  // node made building a world of 10,000 fibers cubic. Nodes beyond its size are never blocked.
  if (rules_.size() != nodes) rules_.resize(nodes);
  if (!stacks) {
    rules_.heal();
    stacks_.clear();
  }
  rules_.remove(id);  // a timeline that names the same id twice: the later cut replaces it
  rules_.add(id, links);
  stacks_[id] = stacks;
}

std::optional<bool> Transport::mend(PartitionId id) {
  if (id == 0) {
    rules_.heal();
    stacks_.clear();
    return false;
  }
  auto it = stacks_.find(id);
  if (it == stacks_.end()) return std::nullopt;
  const bool stacked = it->second;
  stacks_.erase(it);
  rules_.remove(id);
  return stacked;
}

TrueTime Transport::fifo_arrival(const Message& message, TrueTime at) {
  if (last_arrival_.size() <= message.to) last_arrival_.resize(message.to + 1);
  auto [last, first] = last_arrival_[message.to].try_emplace(message.from, at);
  if (!first) {
    at = std::max(at, last->second + nanoseconds(1));
    last->second = at;
  }
  return at;
}

}  // namespace faultline::sim
