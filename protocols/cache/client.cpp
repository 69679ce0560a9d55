// The cache family's reader and writer clients: see client.hpp.
#include "protocols/cache/client.hpp"

#include <optional>

#include "protocols/cache/messages.hpp"
#include "protocols/client_operation.hpp"

namespace faultline::protocols::cache {
namespace {

// One read through the cache, retried until answered or `give_up_after` on the local clock.
// Cache-aside: a miss with a lease reads the store and fills the cache under that lease, and
// answers with the value once the cache has taken it; a miss without one (another reader is
// filling) or a refused fill waits and asks again.
std::optional<std::string> read(sim::Process& co, const ClientOptions& options,
                                const Servers& servers, const std::string& key) {
  const sim::NodeId cache = servers.caches[cache_of(options.keys, key, servers.caches.size())];
  const sim::LocalTime deadline = co.now() + options.give_up_after;
  while (co.now() < deadline) {
    std::optional<sim::Message> reply = co.call(cache, CacheGet{key}, options.call_timeout);
    if (reply) {
      if (const auto* hit = reply->payload.as<CacheHit>()) return hit->value;
      const auto* miss = reply->payload.as<CacheMiss>();
      if (miss && miss->lease != 0) {
        std::optional<sim::Message> stored =
            co.call(servers.store, StoreRead{key}, options.call_timeout);
        if (stored) {
          // The value is returned only if the cache took it: a lease voided meanwhile means a
          // write may have replaced it, and the cache may already serve an older value (filled
          // under a later lease before the write's invalidation arrived); answering with this
          // newer one and letting the next read get the older one would run time backwards.
          const auto* v = stored->payload.as<StoreValue>();
          std::optional<sim::Message> filled = co.call(
              cache, CacheFill{key, v->value, v->version, miss->lease}, options.call_timeout);
          if (filled && filled->payload.is<CacheHit>()) return v->value;
        }
      }
    }
    co.sleep(options.retry_backoff);
  }
  return std::nullopt;
}

bool write(sim::Process& co, const ClientOptions& options, const Servers& servers,
           const std::string& key, const std::string& value) {
  const uint64_t id = co.ctx().new_call_id();
  std::optional<sim::Message> reply;
  if (options.mode == Mode::kAside) {
    reply = co.call(servers.store, StoreWrite{key, value, id}, options.write_timeout);
  } else {
    const sim::NodeId cache = servers.caches[cache_of(options.keys, key, servers.caches.size())];
    reply = co.call(cache, CacheWrite{key, value, id}, options.write_timeout);
  }
  return reply.has_value();
}

}  // namespace

void run_client(sim::Process& co, const ClientOptions& options, const Servers& servers,
                HistoryRecorder& history) {
  if (options.start_after > sim::Duration{}) co.sleep(options.start_after);
  ClientOperations ops(co, history);
  for (int i = 1; i <= options.operations; ++i) {
    const std::string& key = options.keys[co.random(options.keys.size())];
    if (options.writer) {
      // Unique per operation, so that the checkers can tell every write apart.
      const std::string value = std::to_string(ops.process()) + "." + std::to_string(i);
      ops.invoke("put", {key, value});
      if (write(co, options, servers, key, value)) {
        ops.ok("put", {key, value});
      } else {
        ops.info("put", {key, value});
      }
    } else {
      ops.invoke("get", {key, nullptr});
      if (std::optional<std::string> value = read(co, options, servers, key)) {
        ops.ok("get", {key, *value});
      } else {
        ops.fail("get", {key, nullptr});
      }
    }
    co.sleep(options.think);
  }
}

}  // namespace faultline::protocols::cache
