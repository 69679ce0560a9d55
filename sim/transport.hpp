#pragma once
// The network's moving part (TigerBeetle's packet_simulator.zig plays it there): every message
// from its send to its arrival. At the send it draws through the choice tape, always in the same
// order, whether the message is lost and whether it is duplicated, then each copy's latency; it
// holds the messages in flight; at the arrival it says whether the network lets the message
// through (a loss drawn at the send, a partition in force now). The settings it applies are
// sim/network.hpp's, the partitions sim/link_rules.hpp's. The world keeps the event heap: the
// transport says when a message arrives, the world runs that arrival among its other events.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/choices.hpp"
#include "sim/link_rules.hpp"
#include "sim/network.hpp"
#include "sim/node.hpp"
#include "sim/time.hpp"

namespace faultline::sim {

class Transport {
 public:
  // A message between its send and its arrival, in a slot of its own (what an event names).
  struct InFlight {
    Message message;
    // Why it is lost ("loss", "trigger"), decided at the send, reported at the arrival; null: not.
    const char* lost = nullptr;
    // Reached a paused node: it sits in that node's receive buffer, past every link, so a
    // partition that starts before the resume no longer drops it.
    bool arrived = false;
    bool matched = false;  // counted by the delivery triggers already (before a pause)
    uint64_t hash = 0;     // untimed worlds: sender, receiver, call and payload, for fingerprints
  };

  // Draws from `stream` of `choices`, which outlive the transport.
  Transport(const NetworkOptions& options, Choices& choices, StreamId stream);

  // --- settings ----------------------------------------------------------------------------
  const NetworkOptions& options() const { return options_; }
  // What the link from `from` to `to` does to a message now (its own settings or the world's).
  const LinkParams& link(NodeId from, NodeId to) const { return table_.at(from, to); }
  // Every directed link's settings, as the options in force make them.
  const LinkTable& link_table() const { return table_; }
  // Replaces the settings; returns the table of the settings it replaced (what a network record
  // compares the new ones with).
  LinkTable set_options(const NetworkOptions& options);

  // --- partitions --------------------------------------------------------------------------
  const LinkRules& rules() const { return rules_; }
  // Cuts `links` under partition `id` among `nodes` nodes: added to the partitions in force if it
  // `stacks`, otherwise in place of them all. An id already in force is replaced.
  void cut(PartitionId id, const std::vector<Link>& links, bool stacks, size_t nodes);
  // Ends partition `id` alone, or with 0 every partition. Nullopt: `id` is not in force (ended
  // already, or replaced by a later one); otherwise whether the partition it ended stacked.
  std::optional<bool> mend(PartitionId id);

  // --- messages ----------------------------------------------------------------------------
  // A message leaves `from`: it gets the next message id and a slot it travels in (built there,
  // so that it is moved once, into the handler that receives it).
  uint32_t post(NodeId from, NodeId to, uint64_t call_id, bool is_reply, uint64_t lamport,
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
  // The draws at the send, from the link's settings, in this order: the message is lost (it
  // travels on, and is dropped at its arrival), it is duplicated. True: the caller sends a copy
  // (duplicate), each copy then with a latency of its own.
  bool draw_at_send(uint32_t slot) {
    InFlight& flight = messages_[slot];
    // Drawn in the same order whatever the link: a network without per-link settings draws as
    // one with them whose links all have the world's settings.
    const LinkParams& link = table_.at(flight.message.from, flight.message.to);
    flight.lost = link.loss.happens(*choices_, stream_) ? "loss" : nullptr;
    return link.duplicate.happens(*choices_, stream_);
  }
  // A copy of the message in `slot`, in a slot of its own.
  uint32_t duplicate(uint32_t slot) {
    const uint32_t copy = take_slot();
    messages_[copy] = messages_[slot];
    return copy;
  }
  // Every latency one of `values` instead of the links' settings (a timed search's draws).
  void choose_latencies(std::vector<Duration> values) { latencies_ = std::move(values); }
  // When the message in `slot`, leaving at `now`, arrives: after a latency drawn from its link's
  // settings; on a FIFO link strictly after the link's previous arrival.
  TrueTime arrival_time(uint32_t slot, TrueTime now) {
    const Message& message = messages_[slot].message;
    TrueTime at =
        now + (latencies_.empty()
                   ? table_.at(message.from, message.to).latency.sample(*choices_, stream_)
                   : latencies_[choices_->draw(stream_, latencies_.size())]);
    if (options_.fifo_links) at = fifo_arrival(message, at);
    return at;
  }
  // Why the network does not hand the message in `slot` over now ("loss", "trigger",
  // "partition"); null: it does (whether its node can take it is the world's to say).
  const char* arrival_drop(uint32_t slot) const {
    const InFlight& flight = messages_[slot];
    if (flight.lost) return flight.lost;
    if (!flight.arrived && rules_.blocked(flight.message.from, flight.message.to))
      return "partition";
    return nullptr;
  }
  InFlight& at(uint32_t slot) { return messages_[slot]; }
  const InFlight& at(uint32_t slot) const { return messages_[slot]; }
  // Hands the message over to its node: moved out, its slot free for the next send.
  Message receive(uint32_t slot) {
    Message m = std::move(messages_[slot].message);
    free_.push_back(slot);
    return m;
  }
  // Forgets a dropped message: its payload released, its slot free.
  void discard(uint32_t slot) {
    messages_[slot].message.payload = Payload();
    free_.push_back(slot);
  }

 private:
  // The per-message calls above are defined here, in the header: the world's send and delivery
  // are the kernel's hottest code, and a call into another translation unit for each of them
  // cost the ping-pong benchmark several percent.
  uint32_t take_slot() {
    if (free_.empty()) {
      messages_.emplace_back();
      return static_cast<uint32_t>(messages_.size() - 1);
    }
    const uint32_t slot = free_.back();
    free_.pop_back();
    return slot;
  }
  // Strictly after the link's previous arrival: two arrivals at the same instant would be a tie,
  // and ties are drawn from the tape, which could reorder them.
  TrueTime fifo_arrival(const Message& message, TrueTime at);

  NetworkOptions options_;
  LinkTable table_;  // options_ per directed link, rebuilt whenever options_ change
  LinkRules rules_;
  std::map<PartitionId, bool> stacks_;  // the partitions in force: whether each one stacked
  Choices* choices_;
  StreamId stream_;
  std::vector<InFlight> messages_;
  std::vector<uint32_t> free_;
  uint64_t next_message_id_ = 1;
  // FIFO links: per receiver, per sender, the latest arrival scheduled.
  std::vector<std::map<NodeId, TrueTime>> last_arrival_;
  std::vector<Duration> latencies_;  // empty: the links' settings
};

}  // namespace faultline::sim
