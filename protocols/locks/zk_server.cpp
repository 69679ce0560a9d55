// The ZooKeeper-like server (Hunt et al., USENIX ATC 2010, sections 2.1-2.3; the znode and
// session semantics of the ZooKeeper Programmer's Guide). See zk_server.hpp.
#include "protocols/locks/zk_server.hpp"

#include <algorithm>
#include <cstdio>

#include "protocols/locks/lock_intervals.hpp"
#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {
namespace {
const std::string kSnapshotKey = "zk";

std::string parent_of(const std::string& path) {
  return path.substr(0, path.rfind('/'));
}
std::string name_of(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}
}  // namespace

void ZkServer::on_start(sim::Context& ctx) {
  if (const auto* saved = ctx.storage().get<ZkSnapshot>(kSnapshotKey)) state_ = *saved;
  // Sessions outlive a restart; their clients have a full timeout to ping again.
  for (const ZkSession& s : state_.sessions) {
    live_[s.id] = {s.timeout_ns, ctx.now().ns()};
    trace_session(ctx, s.id);
  }
  ctx.every(tick_);
}

void ZkServer::persist(sim::Context& ctx) {
  state_.sessions.clear();
  for (const auto& [id, live] : live_) state_.sessions.push_back({id, live.timeout_ns});
  ctx.storage().put(kSnapshotKey, state_);
  ctx.storage().sync();  // before any reply: an acknowledged change survives a crash
}

bool ZkServer::touch(sim::Context& ctx, uint64_t session, sim::NodeId from) {
  auto it = live_.find(session);
  if (it == live_.end()) return false;
  it->second.last_seen_ns = ctx.now().ns();
  it->second.client = from;
  trace_session(ctx, session);
  return true;
}

void ZkServer::trace_session(sim::Context& ctx, uint64_t session) const {
  // Valid on the server's clock until a tick finds it silent past its timeout.
  const Live& live = live_.at(session);
  ctx.hold_interval(session_interval(session),
                    sim::LocalTime::from_ns(live.last_seen_ns + live.timeout_ns));
}

void ZkServer::on_message(sim::Context& ctx, const sim::Message& message) {
  if (const auto* connect = message.payload.as<ZkConnect>()) {
    uint64_t id = ++state_.last_session;
    live_[id] = {connect->timeout_ns, ctx.now().ns(), message.from};
    trace_session(ctx, id);
    persist(ctx);
    ctx.reply(message, ZkConnected{id});
  } else if (const auto* ping = message.payload.as<ZkPing>()) {
    ctx.reply(message, ZkPong{touch(ctx, ping->session, message.from)});
  } else if (message.payload.as<ZkCreate>()) {
    handle_create(ctx, message);
  } else if (message.payload.as<ZkGetChildren>()) {
    handle_get_children(ctx, message);
  } else if (message.payload.as<ZkExists>()) {
    handle_exists(ctx, message);
  } else if (message.payload.as<ZkDelete>()) {
    handle_delete(ctx, message);
  }
}

void ZkServer::handle_create(sim::Context& ctx, const sim::Message& message) {
  const auto& create = *message.payload.as<ZkCreate>();
  if (!touch(ctx, create.session, message.from)) {
    ctx.reply(message, ZkCreated{false, "", 0});
    return;
  }
  std::string name = create.name;
  if (create.sequential) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%010llu",
                  static_cast<unsigned long long>(state_.sequence[create.parent]++));
    name += digits;
  }
  Znode node{name, ++state_.zxid, create.ephemeral ? create.session : 0};
  state_.children[create.parent].push_back(node);
  persist(ctx);
  fire(ctx, child_watches_, create.parent);
  fire(ctx, node_watches_, create.parent + "/" + name);
  ctx.reply(message, ZkCreated{true, name, node.czxid});
}

void ZkServer::handle_get_children(sim::Context& ctx, const sim::Message& message) {
  const auto& get = *message.payload.as<ZkGetChildren>();
  ++counters_->children_requests;
  touch(ctx, get.session, message.from);
  if (get.watch) add_watch(child_watches_[get.parent], get.session, message.from);
  ZkChildren out;
  for (const Znode& node : state_.children[get.parent]) {
    out.names.push_back(node.name);
    out.czxids.push_back(node.czxid);
  }
  ctx.reply(message, out);
}

void ZkServer::handle_exists(sim::Context& ctx, const sim::Message& message) {
  const auto& exists = *message.payload.as<ZkExists>();
  touch(ctx, exists.session, message.from);
  const auto& siblings = state_.children[parent_of(exists.path)];
  bool found = std::any_of(siblings.begin(), siblings.end(),
                           [&](const Znode& n) { return n.name == name_of(exists.path); });
  if (exists.watch) add_watch(node_watches_[exists.path], exists.session, message.from);
  ctx.reply(message, ZkExistsResult{found});
}

void ZkServer::handle_delete(sim::Context& ctx, const sim::Message& message) {
  bool ok = remove_node(ctx, message.payload.as<ZkDelete>()->path);
  if (ok) persist(ctx);
  ctx.reply(message, ZkDeleted{ok});
}

bool ZkServer::remove_node(sim::Context& ctx, const std::string& path) {
  auto& siblings = state_.children[parent_of(path)];
  auto it = std::find_if(siblings.begin(), siblings.end(),
                         [&](const Znode& n) { return n.name == name_of(path); });
  if (it == siblings.end()) return false;
  siblings.erase(it);
  ++state_.zxid;
  ++counters_->deletes;
  fire(ctx, node_watches_, path);
  fire(ctx, child_watches_, parent_of(path));
  return true;
}

// A session watches a path at most once, however often its client asks (ZooKeeper too).
void ZkServer::add_watch(std::vector<Watch>& watches, uint64_t session, sim::NodeId client) {
  for (const Watch& w : watches) {
    if (w.session == session) return;
  }
  watches.push_back({session, client});
}

// One-shot: every watch set on `path` fires once and is forgotten.
void ZkServer::fire(sim::Context& ctx, std::map<std::string, std::vector<Watch>>& watches,
                    const std::string& path) {
  auto it = watches.find(path);
  if (it == watches.end()) return;
  std::vector<Watch> fired = std::move(it->second);
  watches.erase(it);
  for (const Watch& w : fired) {
    if (!live_.count(w.session)) continue;
    ++counters_->notifications;
    ctx.send(w.client, ZkWatchEvent{path});
  }
}

void ZkServer::on_timer(sim::Context& ctx, sim::TimerId, uint64_t) {
  expire_sessions(ctx);
}

// The server's clock alone decides: a client that has not pinged within its timeout is gone, and
// so are its ephemeral nodes, whatever the client itself believes.
void ZkServer::expire_sessions(sim::Context& ctx) {
  std::vector<uint64_t> expired;
  for (const auto& [id, live] : live_) {
    if (ctx.now().ns() - live.last_seen_ns > live.timeout_ns) expired.push_back(id);
  }
  if (expired.empty()) return;
  for (uint64_t id : expired) {
    live_.erase(id);
    ctx.end_interval(session_interval(id));
    ctx.note("session " + std::to_string(id) + " expired");
    std::vector<std::string> doomed;
    for (const auto& [parent, nodes] : state_.children) {
      for (const Znode& n : nodes) {
        if (n.session == id) doomed.push_back(parent + "/" + n.name);
      }
    }
    for (const std::string& path : doomed) remove_node(ctx, path);
  }
  persist(ctx);
}

std::string ZkServer::describe() const {
  size_t nodes = 0;
  for (const auto& [parent, children] : state_.children) nodes += children.size();
  return std::to_string(live_.size()) + " sessions, " + std::to_string(nodes) + " znodes, zxid " +
         std::to_string(state_.zxid);
}

}  // namespace faultline::protocols::locks
