// A retrying kv client recording a Jepsen history (Kingsbury, Jepsen's kv workloads; Ongaro's
// thesis §6.3 for the client side of deduplication: a session id and a sequence number per
// operation, reused by every retry).
#include "protocols/kv/client.hpp"

#include <algorithm>

#include "protocols/kv/messages.hpp"

namespace faultline::protocols::kv {
namespace {

KvCommand next_command(sim::Process& co, const KvClientOptions& options, uint64_t client,
                       uint64_t seq, int64_t process) {
  KvCommand command;
  command.client = client;
  command.seq = seq;
  command.key = options.keys[co.random(options.keys.size())];
  const int roll = static_cast<int>(co.random(100));
  // Values unique per operation, so the checker can tell every write apart.
  const std::string tag = std::to_string(process) + "." + std::to_string(seq);
  if (roll < options.read_percent) {
    command.f = "get";
  } else if (roll < options.read_percent + options.append_percent) {
    command.f = "append";
    command.value = tag + ";";
  } else {
    command.f = "put";
    command.value = tag;
  }
  return command;
}

// Sends `command` until a server answers ok or the deadline passes; the answered value, if any.
std::optional<std::string> submit(sim::Process& co, const KvClientOptions& options,
                                  const std::vector<sim::NodeId>& servers, size_t& target,
                                  const KvCommand& command) {
  const sim::LocalTime deadline = co.now() + options.give_up_after;
  while (co.now() < deadline) {
    auto reply = co.call(servers[target], ClientRequest{command}, options.call_timeout);
    const ClientReply* answer = reply ? reply->payload.as<ClientReply>() : nullptr;
    if (answer && answer->status == "ok") return answer->value;
    auto hinted =
        answer ? std::find(servers.begin(), servers.end(), answer->leader_hint) : servers.end();
    if (hinted != servers.end() && static_cast<size_t>(hinted - servers.begin()) != target) {
      target = static_cast<size_t>(hinted - servers.begin());
      continue;  // a redirect to a known leader: no need to wait
    }
    // "retry" means the right server is not ready yet; otherwise try the next server.
    if (!answer || answer->status != "retry") target = (target + 1) % servers.size();
    co.sleep(options.retry_backoff);
  }
  return std::nullopt;
}

}  // namespace

void run_kv_client(sim::Process& co, const KvClientOptions& options,
                   const std::vector<sim::NodeId>& servers, HistoryRecorder& history) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  const int64_t process = history.new_process();
  // A session per incarnation: a restarted client must not collide with its earlier numbers.
  const uint64_t client = static_cast<uint64_t>(process) + 1;
  size_t target = co.random(servers.size());
  for (int i = 0; i < options.operations; ++i) {
    const uint64_t seq = static_cast<uint64_t>(i) + 1;
    KvCommand command = next_command(co, options, client, seq, process);
    const bool read = command.f == "get";
    history.invoke(co.ctx(), process, command.f,
                   {command.key, read ? nlohmann::json(nullptr) : nlohmann::json(command.value)});
    std::optional<std::string> answer = submit(co, options, servers, target, command);
    if (answer) {
      history.complete(co.ctx(), process, checkers::OpType::ok, command.f,
                       {command.key, read ? *answer : command.value});
    } else {
      history.complete(
          co.ctx(), process, read ? checkers::OpType::fail : checkers::OpType::info, command.f,
          {command.key, read ? nlohmann::json(nullptr) : nlohmann::json(command.value)});
    }
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::kv
