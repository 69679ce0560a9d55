// A Dynamo-style node: replica and coordinator (DeCandia et al., SOSP 2007, §4.5-4.6; the quorum
// register of Attiya, Bar-Noy and Dolev, JACM 1995). See dynamo_node.hpp.
#include "protocols/dynamo/dynamo_node.hpp"

#include <algorithm>

namespace faultline::protocols::dynamo {
namespace {

constexpr uint64_t kHandoffTag = 0;  // operation ids (world call ids) start at 1

std::string value_key(const std::string& key) {
  return "value/" + key;
}
std::string hint_key(int64_t home, const std::string& key) {
  return "hint/" + std::to_string(home) + "/" + key;
}

}  // namespace

DynamoNode::DynamoNode(DynamoOptions options) : options_(std::move(options)) {}

void DynamoNode::on_start(sim::Context& ctx) {
  placement_ = ring::make_placement(ring::Strategy::kRingVnodes, options_.names, options_.vnodes);
  ctx.every(options_.handoff_interval, kHandoffTag);
}

std::string DynamoNode::describe() const {
  return std::to_string(operations_.size()) + " operations coordinating";
}

void DynamoNode::on_message(sim::Context& ctx, const sim::Message& m) {
  if (m.payload.is<kv::ClientRequest>()) {
    start(ctx, m);
  } else if (const auto* read = m.payload.as<ReplicaRead>()) {
    const StoredValue s = stored(ctx, read->key);
    ctx.send(m.from, ReplicaReadReply{read->op, s.value, s.version});
  } else if (const auto* write = m.payload.as<ReplicaWrite>()) {
    if (write->hint_for >= 0) {
      // A stand-in keeps the write aside for its home node; it does not serve it.
      const std::string key = hint_key(write->hint_for, write->key);
      const Hint* held = ctx.storage().get<Hint>(key);
      if (!held || held->version < write->version) {
        ctx.storage().put(key, Hint{write->hint_for, write->key, write->value, write->version});
        ctx.storage().sync();
      }
    } else {
      store(ctx, write->key, write->value, write->version);
    }
    ctx.send(m.from, ReplicaWriteAck{write->op});
  } else if (const auto* handoff = m.payload.as<Handoff>()) {
    store(ctx, handoff->key, handoff->value, handoff->version);
    ctx.send(m.from, HandoffAck{handoff->key, handoff->version});
  } else if (const auto* done = m.payload.as<HandoffAck>()) {
    const std::string key = hint_key(static_cast<int64_t>(m.from), done->key);
    const Hint* hint = ctx.storage().get<Hint>(key);
    if (hint && hint->version == done->version) {
      ctx.storage().erase(key);
      ctx.storage().sync();
    }
  } else if (const auto* reply = m.payload.as<ReplicaReadReply>()) {
    on_read_reply(ctx, *reply, m.from);
  } else if (const auto* ack = m.payload.as<ReplicaWriteAck>()) {
    on_write_ack(ctx, *ack, m.from);
  }
}

void DynamoNode::on_timer(sim::Context& ctx, sim::TimerId, uint64_t tag) {
  if (tag == kHandoffTag) {
    hand_off(ctx);
  } else {
    on_phase_timeout(ctx, tag);
  }
}

void DynamoNode::start(sim::Context& ctx, const sim::Message& request) {
  const kv::KvCommand& command = request.payload.as<kv::ClientRequest>()->command;
  if (command.f != "get" && command.f != "put") {
    ctx.reply(request, kv::ClientReply{.status = "unsupported"});
    return;
  }
  // Unique in the world, not per incarnation: a reply to an operation from before a crash must
  // never count toward one started after the restart.
  const uint64_t id = ctx.new_call_id();
  Operation& op = operations_[id];
  op.request = request;
  op.command = command;
  for (size_t i : placement_->successors(command.key, options_.replicas)) {
    op.home.push_back(options_.nodes[i]);
  }
  if (command.f == "put" && options_.bug == DynamoBug::kWallClockVersions) {
    // Last writer wins by the coordinator's clock: no read phase, no quorum to order it.
    const Version version{static_cast<uint64_t>(std::max<int64_t>(ctx.wall_now().ns(), 0)), id};
    write_phase(ctx, id, op, command.value, version);
    return;
  }
  read_phase(ctx, id, op);
}

void DynamoNode::read_phase(sim::Context& ctx, uint64_t id, Operation& op) {
  for (sim::NodeId node : op.home) {
    op.asked.insert(node);
    ctx.send(node, ReplicaRead{id, op.command.key});
  }
  op.timer = ctx.set_timer(options_.phase_timeout, id);
}

void DynamoNode::write_phase(sim::Context& ctx, uint64_t id, Operation& op, std::string value,
                             Version version) {
  ctx.cancel_timer(op.timer);
  op.writing = true;
  op.extended = false;
  op.asked.clear();
  op.answered.clear();
  op.value = std::move(value);
  op.version = version;
  for (sim::NodeId node : op.home) {
    op.asked.insert(node);
    ctx.send(node, ReplicaWrite{id, op.command.key, op.value, op.version, -1});
  }
  op.timer = ctx.set_timer(options_.phase_timeout, id);
}

void DynamoNode::on_read_reply(sim::Context& ctx, const ReplicaReadReply& reply, sim::NodeId from) {
  auto it = operations_.find(reply.op);
  if (it == operations_.end() || it->second.writing) return;
  Operation& op = it->second;
  if (!op.asked.count(from) || !op.answered.insert(from).second) return;
  if (op.answered.size() == 1 || reply.version > op.newest.version) op.newest = reply;
  if (op.answered.size() < options_.read_quorum) return;
  if (op.command.f == "put") {
    // A version above every one a read quorum holds: above every completed write's.
    write_phase(ctx, reply.op, op, op.command.value,
                Version{op.newest.version.counter + 1, reply.op});
  } else if (options_.bug == DynamoBug::kNoReadRepair) {
    finish(ctx, reply.op, "ok", op.newest.value);
  } else {
    // Read repair: the value read is on a write quorum before anyone is told of it, so no later
    // read can see an older one.
    write_phase(ctx, reply.op, op, op.newest.value, op.newest.version);
  }
}

void DynamoNode::on_write_ack(sim::Context& ctx, const ReplicaWriteAck& ack, sim::NodeId from) {
  auto it = operations_.find(ack.op);
  if (it == operations_.end() || !it->second.writing) return;
  Operation& op = it->second;
  if (!op.asked.count(from) || !op.answered.insert(from).second) return;
  if (op.answered.size() < options_.write_quorum) return;
  finish(ctx, ack.op, "ok", op.command.f == "get" ? op.value : "");
}

void DynamoNode::on_phase_timeout(sim::Context& ctx, uint64_t id) {
  auto it = operations_.find(id);
  if (it == operations_.end()) return;
  Operation& op = it->second;
  if (options_.bug != DynamoBug::kSloppyQuorum || op.extended) {
    finish(ctx, id, "unavailable", "");
    return;
  }
  // A sloppy quorum: the next nodes on the ring stand in for the home replicas that did not
  // answer, and their answers count toward the quorum.
  op.extended = true;
  std::vector<sim::NodeId> silent;
  for (sim::NodeId node : op.home) {
    if (!op.answered.count(node)) silent.push_back(node);
  }
  size_t next_silent = 0;
  for (size_t i : placement_->successors(op.command.key, options_.nodes.size())) {
    const sim::NodeId node = options_.nodes[i];
    if (op.asked.count(node) || next_silent == silent.size()) continue;
    op.asked.insert(node);
    if (op.writing) {
      ctx.send(node, ReplicaWrite{id, op.command.key, op.value, op.version,
                                  static_cast<int64_t>(silent[next_silent])});
    } else {
      ctx.send(node, ReplicaRead{id, op.command.key});
    }
    ++next_silent;
  }
  op.timer = ctx.set_timer(options_.phase_timeout, id);
}

void DynamoNode::finish(sim::Context& ctx, uint64_t id, const std::string& status,
                        const std::string& value) {
  auto it = operations_.find(id);
  ctx.cancel_timer(it->second.timer);
  ctx.reply(it->second.request, kv::ClientReply{.status = status, .value = value});
  operations_.erase(it);
}

void DynamoNode::store(sim::Context& ctx, const std::string& key, const std::string& value,
                       Version version) {
  if (version <= stored(ctx, key).version && ctx.storage().contains(value_key(key))) return;
  ctx.storage().put(value_key(key), StoredValue{value, version});
  ctx.storage().sync();
}

StoredValue DynamoNode::stored(sim::Context& ctx, const std::string& key) const {
  const StoredValue* s = ctx.storage().get<StoredValue>(value_key(key));
  return s ? *s : StoredValue{};
}

void DynamoNode::hand_off(sim::Context& ctx) {
  for (const std::string& key : ctx.storage().keys_with_prefix("hint/")) {
    const Hint* hint = ctx.storage().get<Hint>(key);
    if (!hint) continue;
    ctx.send(static_cast<sim::NodeId>(hint->home), Handoff{hint->key, hint->value, hint->version});
  }
}

}  // namespace faultline::protocols::dynamo
