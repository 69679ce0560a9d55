// A retrying kv client recording a Jepsen history (Kingsbury, Jepsen's kv workloads; Ongaro's
// thesis §6.3 for the client side of deduplication: a session id and a sequence number per
// operation, reused by every retry).
#include "protocols/kv/client.hpp"

#include <map>
#include <memory>

#include "protocols/client_operation.hpp"
#include "protocols/history_sometimes.hpp"
#include "protocols/kv/messages.hpp"
#include "protocols/kv/session.hpp"

namespace faultline::protocols::kv {
namespace {

// `last_seen`: per key, the value this client last read or wrote, the expected value of its
// cas; a guess that often holds, so that a cas swaps about as often as it fails.
KvCommand next_command(sim::Process& co, const KvClientOptions& options, uint64_t seq,
                       int64_t process, const std::map<std::string, std::string>& last_seen) {
  KvCommand command;
  command.key = options.keys[co.random(options.keys.size())];
  const int roll = static_cast<int>(co.random(100));
  // Values unique per operation, so the checker can tell every write apart.
  const std::string tag = std::to_string(process) + "." + std::to_string(seq);
  if (roll < options.read_percent) {
    command.f = "get";
  } else if (roll < options.read_percent + options.append_percent) {
    command.f = "append";
    command.value = tag + ";";
  } else if (roll < options.read_percent + options.append_percent + options.cas_percent) {
    command.f = "cas";
    auto seen = last_seen.find(command.key);
    command.expected = seen == last_seen.end() ? std::string() : seen->second;
    command.value = tag;
  } else {
    command.f = "put";
    command.value = tag;
  }
  return command;
}

// The history's value of an invocation, and of a completion whose outcome is unknown.
nlohmann::json invoked_value(const KvCommand& command) {
  if (command.f == "get") return {command.key, nullptr};
  if (command.f == "cas") {
    return nlohmann::json::array(
        {command.key, nlohmann::json::array({command.expected, command.value})});
  }
  return {command.key, command.value};
}

}  // namespace

void run_kv_client(sim::Process& co, const KvClientOptions& options,
                   const std::vector<sim::NodeId>& servers, HistoryRecorder& history) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  ClientOperations ops(co, history);
  const int64_t process = ops.process();
  // A session per incarnation: a restarted client must not collide with its earlier numbers.
  KvSession session(co, servers, static_cast<uint64_t>(process) + 1,
                    KvSessionTimeouts{options.call_timeout, options.retry_backoff});
  std::map<std::string, std::string> last_seen;
  for (int i = 0; i < options.operations; ++i) {
    const uint64_t seq = static_cast<uint64_t>(i) + 1;
    KvCommand command = session.next(next_command(co, options, seq, process, last_seen));
    const bool read = command.f == "get";
    ops.invoke(command.f, invoked_value(command));
    std::optional<ClientReply> answer =
        session.submit(command, options.give_up_after, read ? 0 : options.write_attempts);
    if (!answer) {
      // A write given up on may still take effect; a read changed nothing.
      if (read) {
        ops.fail(command.f, {command.key, nullptr});
      } else {
        ops.info(command.f, invoked_value(command));
      }
    } else if (read) {
      ops.ok(command.f, {command.key, answer->value});
      last_seen[command.key] = answer->value;
    } else if (command.f == "cas") {
      // A cas that found another value ran all the same: ok with false, which orders it.
      ops.ok(command.f, {command.key, answer->succeeded});
      if (answer->succeeded) last_seen[command.key] = command.value;
    } else {
      ops.ok(command.f, {command.key, command.value});
      if (command.f == "put") last_seen[command.key] = command.value;
    }
    co.sleep(options.think);
  }
}

void add_kv_clients(sim::World& world, int count, const KvClientOptions& options,
                    const std::vector<sim::NodeId>& servers, HistoryRecorder& history, int& done) {
  // Pointers, copied into each factory and fiber: both outlive this call (restarts re-run them).
  const std::vector<sim::NodeId>* server_list = &servers;
  HistoryRecorder* recorder = &history;
  int* finished = &done;
  add_history_sometimes(world, history, read_write_sometimes("get"));
  for (int i = 1; i <= count; ++i) {
    world.add_node("client" + std::to_string(i), [=] {
      return std::make_unique<sim::FiberNode>([=](sim::Process& co) {
        run_kv_client(co, options, *server_list, *recorder);
        ++*finished;
      });
    });
  }
}

}  // namespace faultline::protocols::kv
