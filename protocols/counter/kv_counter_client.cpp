// Read-modify-write clients of the kv store: a counter and a row with a version column; see
// kv_counter_client.hpp.
#include "protocols/counter/kv_counter_client.hpp"

#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "protocols/client_operation.hpp"
#include "protocols/kv/messages.hpp"

namespace faultline::protocols::counter {
namespace {

int64_t parse_count(const std::string& value) {
  return value.empty() ? 0 : std::stoll(value);
}

// The row: {"version": n, "items": [...]}; an absent key is version 0 with no items.
nlohmann::json parse_row(const std::string& value) {
  if (value.empty()) return {{"version", 0}, {"items", nlohmann::json::array()}};
  return nlohmann::json::parse(value);
}

// One client incarnation: its session, its history and what it is doing.
struct KvWorker {
  sim::Process& co;
  const KvClientOptions& options;
  ClientOperations ops;
  kv::KvSession session;

  KvWorker(sim::Process& c, const KvClientOptions& o, const std::vector<sim::NodeId>& servers,
           HistoryRecorder& history)
      : co(c),
        options(o),
        ops(c, history),
        session(c, servers, static_cast<uint64_t>(ops.process()) + 1, o.timeouts) {}

  std::string label(int i) {
    return co.ctx().name() + "/" + std::to_string(ops.process()) + "." + std::to_string(i);
  }

  // One command, retried under its sequence number until answered or `deadline`.
  std::optional<kv::ClientReply> submit(kv::KvCommand command, sim::LocalTime deadline) {
    if (co.now() >= deadline) return std::nullopt;
    return session.submit(session.next(std::move(command)), deadline - co.now());
  }

  std::optional<std::string> get(sim::LocalTime deadline) {
    kv::KvCommand get;
    get.f = "get";
    get.key = options.key;
    auto reply = submit(get, deadline);
    if (!reply) return std::nullopt;
    return reply->value;
  }

  enum class Outcome { kOk, kFailed, kUnknown };

  // Read, compute, write: `next` turns the value read into the value to write. Checked, the write
  // is a compare-and-set on the value read, and a conflict starts over; unchecked, a put.
  Outcome read_modify_write(
      const std::function<std::string(const std::string&)>& next,
      const std::function<void(const std::string&, const std::string&)>& before_write) {
    const sim::LocalTime deadline = co.now() + options.give_up_after;
    while (true) {
      // Every write before this read was answered: giving up here, nothing was written.
      std::optional<std::string> read = get(deadline);
      if (!read) return Outcome::kFailed;
      kv::KvCommand write;
      write.key = options.key;
      write.value = next(*read);
      if (options.checked) {
        write.f = "cas";
        write.expected = *read;
      } else {
        write.f = "put";
      }
      before_write(*read, write.value);
      auto reply = submit(write, deadline);
      if (!reply) return Outcome::kUnknown;
      if (reply->succeeded) return Outcome::kOk;  // a put always succeeds; a cas that swapped
    }
  }

  void record(Outcome outcome, const std::string& f, const nlohmann::json& value) {
    if (outcome == Outcome::kOk) ops.ok(f, value);
    if (outcome == Outcome::kFailed) ops.fail(f, value);
    if (outcome == Outcome::kUnknown) ops.info(f, value);
  }

  // One read operation, its answer recorded as `shown` makes it of the value read.
  void read(const std::function<nlohmann::json(const std::string&)>& shown) {
    ops.invoke("read", nullptr);
    if (std::optional<std::string> value = get(co.now() + options.give_up_after)) {
      ops.ok("read", shown(*value));
    } else {
      ops.fail("read", nullptr);
    }
  }

  // One update, recorded as add(`value`) and told to the ghost as `label`: a read-modify-write
  // (`next` and `before_write` as there).
  void add(const std::string& label, const nlohmann::json& value, CounterGhost& ghost,
           const std::function<std::string(const std::string&)>& next,
           const std::function<void(const std::string&, const std::string&)>& before_write) {
    ops.invoke("add", value);
    ghost.invoked(label, co.ctx().name(), co.ctx().observer_time().ns());
    const Outcome outcome = read_modify_write(next, before_write);
    record(outcome, "add", value);
    if (outcome == Outcome::kOk) {
      ghost.acknowledged(label, "the store", co.ctx().observer_time().ns());
    }
  }
};

}  // namespace

void run_kv_counter_client(sim::Process& co, const KvClientOptions& options,
                           const std::vector<sim::NodeId>& servers, HistoryRecorder& history,
                           CounterGhost& ghost) {
  KvWorker w(co, options, servers, history);
  for (int i = 1; i <= options.operations; ++i) {
    const std::string label = w.label(i);
    if (static_cast<int>(co.random(100)) < options.read_percent) {
      w.read([](const std::string& value) { return parse_count(value); });
    } else {
      w.add(
          label, 1, ghost,
          [](const std::string& read) { return std::to_string(parse_count(read) + 1); },
          [&](const std::string& read, const std::string& written) {
            ghost.wrote(label, parse_count(read), parse_count(written));
          });
    }
    co.sleep(options.think);
  }
}

void run_row_client(sim::Process& co, const KvClientOptions& options,
                    const std::vector<sim::NodeId>& servers, HistoryRecorder& history,
                    CounterGhost& ghost) {
  KvWorker w(co, options, servers, history);
  for (int i = 1; i <= options.operations; ++i) {
    const std::string label = w.label(i);
    if (static_cast<int>(co.random(100)) < options.read_percent) {
      w.read([](const std::string& value) { return parse_row(value)["items"]; });
    } else {
      w.add(
          label, label, ghost,
          [&](const std::string& read) {
            nlohmann::json row = parse_row(read);
            row["version"] = row["version"].get<int64_t>() + 1;
            row["items"].push_back(label);
            return row.dump();
          },
          [](const std::string&, const std::string&) {});
    }
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::counter
