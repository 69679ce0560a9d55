#include "sim/transport.hpp"

#include <algorithm>

namespace faultline::sim {

Transport::Transport(const NetworkOptions& options, Choices& choices, StreamId stream)
    : options_(options), table_(options_), choices_(&choices), stream_(stream) {}

void Transport::set_options(const NetworkOptions& options, std::vector<Link>* changed) {
  LinkTable table(options);
  if (changed) *changed = LinkTable::changed(table_, table);
  options_ = options;
  table_ = std::move(table);
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

uint32_t Transport::take_slot() {
  if (free_.empty()) {
    messages_.emplace_back();
    return static_cast<uint32_t>(messages_.size() - 1);
  }
  const uint32_t slot = free_.back();
  free_.pop_back();
  return slot;
}

uint32_t Transport::post(NodeId from, NodeId to, uint64_t call_id, bool is_reply, uint64_t lamport,
                         Payload&& payload) {
  const uint32_t slot = take_slot();
  InFlight& flight = messages_[slot];
  Message& m = flight.message;
  m.from = from;
  m.to = to;
  m.id = next_message_id_++;
  m.call_id = call_id;
  m.is_reply = is_reply;
  m.lamport = lamport;
  m.payload = std::move(payload);
  flight.lost = nullptr;
  flight.arrived = false;
  flight.matched = false;
  return slot;
}

bool Transport::draw_at_send(uint32_t slot) {
  InFlight& flight = messages_[slot];
  // Drawn in the same order whatever the link: a network without per-link settings draws as one
  // with them whose links all have the world's settings.
  const LinkParams& link = table_.at(flight.message.from, flight.message.to);
  flight.lost = link.loss.happens(*choices_, stream_) ? "loss" : nullptr;
  return link.duplicate.happens(*choices_, stream_);
}

uint32_t Transport::duplicate(uint32_t slot) {
  const uint32_t copy = take_slot();
  messages_[copy] = messages_[slot];
  return copy;
}

TrueTime Transport::arrival_time(uint32_t slot, TrueTime now) {
  const Message& message = messages_[slot].message;
  TrueTime at = now + table_.at(message.from, message.to).latency.sample(*choices_, stream_);
  if (options_.fifo_links) {
    // Strictly after the link's previous arrival: two arrivals at the same instant would be a tie,
    // and ties are drawn from the tape, which could reorder them.
    if (last_arrival_.size() <= message.to) last_arrival_.resize(message.to + 1);
    auto [last, first] = last_arrival_[message.to].try_emplace(message.from, at);
    if (!first) {
      at = std::max(at, last->second + nanoseconds(1));
      last->second = at;
    }
  }
  return at;
}

}  // namespace faultline::sim
