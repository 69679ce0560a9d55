#include "lock_service.hpp"

#include <memory>
#include <optional>
#include <set>
#include <string>

namespace lock_service {
namespace {

namespace sim = faultline::sim;
namespace protocols = faultline::protocols;

// The wire vocabulary.
// `request` numbers a client's attempts, so that a late or duplicated Granted from an earlier
// attempt is never taken for the answer to the current one.
struct Acquire {
  static constexpr const char* kName = "Acquire";
  uint64_t request = 0;
};
struct Release {
  static constexpr const char* kName = "Release";
};
struct Granted {
  static constexpr const char* kName = "Granted";
  uint64_t request = 0;
};
struct Busy {
  static constexpr const char* kName = "Busy";
};
// The server's durable record: who holds the lock ("" for nobody).
struct Holder {
  static constexpr const char* kName = "Holder";
  std::string client;
};
void to_json(nlohmann::json& j, const Acquire& a) {
  j = {{"request", a.request}};
}
void to_json(nlohmann::json& j, const Release&) {
  j = nlohmann::json::object();
}
void to_json(nlohmann::json& j, const Granted& g) {
  j = {{"request", g.request}};
}
void to_json(nlohmann::json& j, const Busy&) {
  j = nlohmann::json::object();
}
void to_json(nlohmann::json& j, const Holder& h) {
  j = {{"client", h.client}};
}

struct Bugs {
  bool volatile_holder = false;
};

const protocols::VariantTable<Bugs>& variants() {
  static const protocols::VariantTable<Bugs> table({
      {"correct", "the server syncs the holder to disk before it grants", false, {}},
      {"volatile-holder",
       "the server keeps the holder in memory: a restart forgets it",
       true,
       {.volatile_holder = true}},
  });
  return table;
}

// What an omniscient observer saw: who is in the critical section right now. It lives in the
// harness, outside the nodes, so crashes do not erase it.
struct Ghost {
  std::set<std::string> holding;
  std::optional<std::string> broken;  // the first overlap, as a message
  int64_t broken_at_ns = 0;
  uint64_t acquisitions = 0;
};

class LockServer : public sim::Node {
 public:
  explicit LockServer(Bugs bugs) : bugs_(bugs) {}

  void on_start(sim::Context& ctx) override {
    if (const Holder* h = ctx.storage().get<Holder>("holder")) holder_ = h->client;
  }

  void on_message(sim::Context& ctx, const sim::Message& m) override {
    const std::string& from = ctx.name_of(m.from);
    if (const Acquire* acquire = m.payload.as<Acquire>()) {
      if (holder_.empty() || holder_ == from) {
        set_holder(ctx, from);
        ctx.send(m.from, Granted{acquire->request});
      } else {
        ctx.send(m.from, Busy{});
      }
    } else if (m.payload.is<Release>() && holder_ == from) {
      set_holder(ctx, "");
    }
  }

  bool leads() const override { return true; }

 private:
  void set_holder(sim::Context& ctx, const std::string& client) {
    holder_ = client;
    if (bugs_.volatile_holder) return;
    ctx.storage().put("holder", Holder{client});
    ctx.storage().sync();
  }

  Bugs bugs_;
  std::string holder_;
};

// Asks for the lock until granted, holds it for `hold`, releases it, waits, and starts again.
class Client : public sim::Node {
 public:
  Client(sim::NodeId server, sim::Duration hold, Ghost& ghost)
      : server_(server), hold_(hold), ghost_(&ghost) {}

  void on_start(sim::Context& ctx) override { ask(ctx); }

  void on_message(sim::Context& ctx, const sim::Message& m) override {
    const Granted* granted = m.payload.as<Granted>();
    if (!granted || holding_ || granted->request != request_) return;
    holding_ = true;
    ctx.cancel_timer(retry_);
    enter(ctx);
    ctx.set_timer(hold_, kReleaseTag);
  }

  void on_timer(sim::Context& ctx, sim::TimerId, uint64_t tag) override {
    if (tag == kRetryTag) {
      ask(ctx);
    } else if (tag == kReleaseTag) {
      ghost_->holding.erase(ctx.name());
      holding_ = false;
      ctx.send(server_, Release{});
      ctx.set_timer(hold_, kRetryTag);
    }
  }

 private:
  static constexpr uint64_t kRetryTag = 1, kReleaseTag = 2;

  void ask(sim::Context& ctx) {
    ctx.send(server_, Acquire{++request_});
    retry_ = ctx.set_timer(sim::milliseconds(100), kRetryTag);
  }

  void enter(sim::Context& ctx) {
    ++ghost_->acquisitions;
    if (!ghost_->holding.empty() && !ghost_->broken) {
      ghost_->broken = ctx.name() + " entered the critical section while " +
                       *ghost_->holding.begin() + " was still in it";
      ghost_->broken_at_ns = ctx.observer_time().ns();
    }
    ghost_->holding.insert(ctx.name());
  }

  sim::NodeId server_;
  sim::Duration hold_;
  Ghost* ghost_;
  bool holding_ = false;
  uint64_t request_ = 0;
  sim::TimerId retry_;
};

class Harness : public protocols::Harness {
 public:
  Harness(Bugs bugs, int clients, sim::Duration hold)
      : bugs_(bugs), clients_(clients), hold_(hold) {}

  void build(sim::World& world) override {
    const Bugs bugs = bugs_;
    const sim::NodeId server =
        world.add_node("lock", [bugs] { return std::make_unique<LockServer>(bugs); });
    for (int i = 1; i <= clients_; ++i) {
      world.add_node("client" + std::to_string(i),
                     [this, server] { return std::make_unique<Client>(server, hold_, ghost_); });
    }
    // Checked after every event, so the run stops at the overlap.
    world.add_invariant("mutual-exclusion",
                        [this]() -> std::optional<std::string> { return ghost_.broken; });
  }

  std::vector<faultline::Finding> check(sim::World&) override { return {}; }

  nlohmann::json figures() const override { return {{"acquisitions", ghost_.acquisitions}}; }

 private:
  Bugs bugs_;
  int clients_;
  sim::Duration hold_;
  Ghost ghost_;
};

}  // namespace

protocols::ProtocolInfo lock_service_info() {
  protocols::ProtocolInfo info;
  info.name = "lock-service";
  info.description = "a toy lock server and its clients (the example user project)";
  info.variants = variants().infos();
  info.checkers = {{"mutual-exclusion", "no two clients are in the critical section at once"}};
  info.default_checkers = {"mutual-exclusion"};
  info.make = [](protocols::ProtocolSetup& setup) -> std::unique_ptr<protocols::Harness> {
    const int clients = static_cast<int>(setup.params.integer("clients", 3, 1, 100));
    const sim::Duration hold =
        setup.params.duration("hold", sim::milliseconds(50), sim::milliseconds(1));
    return std::make_unique<Harness>(variants().flags(setup.variant), clients, hold);
  };
  return info;
}

}  // namespace lock_service
