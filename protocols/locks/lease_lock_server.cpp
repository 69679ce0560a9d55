#include "protocols/locks/lease_lock_server.hpp"

#include "protocols/locks/lock_intervals.hpp"
#include "protocols/locks/messages.hpp"

namespace faultline::protocols::locks {
namespace {
const std::string kLeasePrefix = "lease/";
const std::string kTokenKey = "token";
}  // namespace

void LeaseLockServer::on_start(sim::Context& ctx) {
  if (!options_.persist) return;
  sim::Storage& disk = ctx.storage();
  if (const auto* counter = disk.get<TokenCounter>(kTokenKey)) last_token_ = counter->last;
  for (const std::string& key : disk.keys_with_prefix(kLeasePrefix)) {
    const std::string name = key.substr(kLeasePrefix.size());
    const LeaseRecord& lease = leases_[name] = *disk.get<LeaseRecord>(key);
    // The crash ended the grant's bar; a grant that outlived it holds again from the restart
    // (one whose deadline has passed draws nothing).
    trace_grant(ctx, name, lease);
  }
}

sim::LocalTime LeaseLockServer::clock(sim::Context& ctx) const {
  return options_.expire_on_wall_clock ? ctx.wall_now() : ctx.now();
}

void LeaseLockServer::store(sim::Context& ctx, const std::string& key) {
  if (!options_.persist) return;
  sim::Storage& disk = ctx.storage();
  auto it = leases_.find(key);
  if (it == leases_.end()) {
    disk.erase(kLeasePrefix + key);
  } else {
    disk.put(kLeasePrefix + key, it->second);
  }
  disk.put(kTokenKey, TokenCounter{last_token_});
  disk.sync();  // before the reply leaves: a granted lease survives a crash
}

void LeaseLockServer::on_message(sim::Context& ctx, const sim::Message& message) {
  const int64_t now = clock(ctx).ns();
  if (const auto* acquire = message.payload.as<Acquire>()) {
    auto it = leases_.find(acquire->key);
    if (options_.require_nx && it != leases_.end() && it->second.expires_at_ns > now) {
      ctx.reply(message, Denied{it->second.expires_at_ns - now});
      return;
    }
    LeaseRecord lease{acquire->owner, ++last_token_, now + acquire->ttl_ns, message.from};
    leases_[acquire->key] = lease;
    store(ctx, acquire->key);
    trace_grant(ctx, acquire->key, lease);
    ctx.reply(message, Granted{lease.token});
  } else if (const auto* release = message.payload.as<Release>()) {
    auto it = leases_.find(release->key);
    // Compare-and-delete: an expired lease still names its owner until someone else takes it.
    bool owned =
        it != leases_.end() && (it->second.owner == release->owner || !options_.compare_on_release);
    if (owned) {
      leases_.erase(it);
      store(ctx, release->key);
      end_grant(ctx, release->key);
    }
    ctx.reply(message, Released{owned});
  }
}

void LeaseLockServer::trace_grant(sim::Context& ctx, const std::string& key,
                                  const LeaseRecord& lease) {
  end_grant(ctx, key);  // a grant over an unexpired one (without NX) ends it
  std::string label = grant_interval(ctx, lease.holder);
  ctx.hold_interval(
      label, sim::LocalTime::from_ns(lease.expires_at_ns),
      options_.expire_on_wall_clock ? sim::IntervalClock::kWall : sim::IntervalClock::kMonotonic);
  grant_labels_[key] = std::move(label);
}

void LeaseLockServer::end_grant(sim::Context& ctx, const std::string& key) {
  auto it = grant_labels_.find(key);
  if (it == grant_labels_.end()) return;
  ctx.end_interval(it->second);  // nothing if its deadline ended it already
  grant_labels_.erase(it);
}

std::string LeaseLockServer::describe() const {
  return std::to_string(leases_.size()) + " leases, last token " + std::to_string(last_token_);
}

}  // namespace faultline::protocols::locks
