#include "reports/trace_audit.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>
#include <type_traits>
#include <utility>

#include "base/finding.hpp"
#include "base/format_ns.hpp"
#include "sim/clock.hpp"
#include "sim/time.hpp"

namespace faultline::reports {

namespace {

using sim::Int128;
using sim::TraceKind;

constexpr int64_t kPpmScale = 1000'000;

// Times in a trace are any 64-bit integers: sums and differences saturate rather than overflow.
int64_t plus(int64_t a, int64_t b) {
  return sim::saturate(static_cast<Int128>(a) + b, std::numeric_limits<int64_t>::max());
}
int64_t minus(int64_t a, int64_t b) {
  return sim::saturate(static_cast<Int128>(a) - b, std::numeric_limits<int64_t>::max());
}

// A node's clocks as docs/trace-format.md states them, written again from the statement rather
// than shared with sim/clock.hpp: an auditor that reuses the code it audits proves nothing. Only
// the documented bounds (sim::Drift's rates, NodeClock's wall offset) are the kernel's constants.
struct ClockModel {
  int64_t base_true = 0;
  int64_t base_local = 0;
  int64_t ppm = 0;
  int64_t offset = 0;

  // The kernel clamps a rate so that a clock always runs forward (docs/limits.md).
  static int64_t clamped(int64_t ppm) {
    return std::clamp(ppm, sim::Drift::kMinPpm, sim::Drift::kMaxPpm);
  }
  int64_t rate() const { return kPpmScale + ppm; }
  int64_t monotonic(int64_t t) const {
    const Int128 elapsed = static_cast<Int128>(t) - base_true;
    return sim::saturate(base_local + elapsed * rate() / kPpmScale);
  }
  int64_t wall(int64_t t) const {
    return sim::saturate(static_cast<Int128>(monotonic(t)) + offset);
  }
  void set_rate(int64_t now, int64_t new_ppm) {
    base_local = monotonic(now);
    base_true = now;
    ppm = clamped(new_ppm);
  }
  // The first true instant, not before `from`, at which the monotonic clock reads `deadline`.
  int64_t first_instant(int64_t deadline, int64_t from) const {
    if (monotonic(from) >= deadline) return from;
    const Int128 local = static_cast<Int128>(deadline) - base_local;
    const Int128 scaled = local * kPpmScale;
    const Int128 elapsed = scaled / rate() + (scaled % rate() > 0 ? 1 : 0);
    return std::max(from, sim::saturate(base_true + elapsed));
  }
  // How much later than first_instant a timer may fire: the kernel measures a timer's true
  // length from the clock's reading, which drops the fraction of a local nanosecond that had
  // elapsed, and rounds the length up. One local nanosecond lasts 1e6 / rate true nanoseconds.
  int64_t timer_slack() const { return kPpmScale / rate() + 2; }
};

struct NodeState {
  bool booted = false;
  bool up = false;
  bool paused = false;
  uint64_t pauses = 0;  // how many pauses began: a delivery after a pause may have waited in one
  uint64_t lamport = 0;
  ClockModel clock;
};

struct Flight {
  std::string from;
  std::string to;
  uint64_t index = 0;  // of the send record
  int64_t sent_at = 0;
  uint64_t lamport = 0;
  int64_t min_latency = -1;  // -1: unknown (a network change whose options the trace omits)
  int64_t max_latency = -1;
  bool fifo = false;
  uint8_t ends_allowed = 1;  // 2 when duplication was on at the send
  uint8_t ends = 0;
  uint64_t receiver_pauses = 0;  // the receiver's pauses at the send
  bool receiver_paused = false;
  int64_t late_after = -1;  // true time by which it must have ended (-1: no bound known)
  bool held = false;        // due while its receiver was paused: waits in its receive buffer
};

struct Timer {
  uint64_t index = 0;  // of the timer-set record
  int64_t deadline = 0;
  int64_t late_after = 0;  // true time past which it should have fired
  bool held = false;       // due while its node was paused: fires at the resume
};

// What must happen by a true time, earliest first: armed timers, messages in flight. Each entry
// keeps its own time (`by`), which also names it here, so that it can be moved or removed.
template <typename Key>
class Deadlines {
 public:
  void move(const Key& key, int64_t& by, int64_t to) {
    set_.erase({by, key});
    by = to;
    set_.insert({to, key});
  }
  void remove(const Key& key, int64_t by) { set_.erase({by, key}); }
  // The earliest key whose time is before `now`, taken out; none when nothing is overdue.
  std::optional<Key> take_overdue(int64_t now) {
    if (set_.empty() || set_.begin()->first >= now) return std::nullopt;
    Key key = set_.begin()->second;
    set_.erase(set_.begin());
    return key;
  }

 private:
  std::set<std::pair<int64_t, Key>> set_;
};

using TimerKey = std::pair<std::string, uint64_t>;  // node, timer
using Link = std::pair<std::string, std::string>;   // from, to

// A field of a record's `data`, or `fallback` when there is no such field of that type: a
// malformed trace is judged as far as it goes, never a crash (nlohmann's value() throws on a
// field of another type).
template <typename T>
T field(const nlohmann::json& object, const char* key, T fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  const nlohmann::json& v = *it;
  if constexpr (std::is_same_v<T, nlohmann::json>) {
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return v.is_boolean() ? v.get<bool>() : fallback;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v.is_string() ? v.get<std::string>() : fallback;
  } else if constexpr (std::is_same_v<T, double>) {
    return v.is_number() ? v.get<double>() : fallback;
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    return v.is_number_unsigned() ? v.get<uint64_t>() : fallback;
  } else {
    static_assert(std::is_same_v<T, int64_t>);
    const bool fits = v.is_number_integer() &&
                      (!v.is_number_unsigned() ||
                       v.get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()));
    return fits ? v.get<int64_t>() : fallback;
  }
}

// What the network promises one link: -1 for a latency bound the trace does not state.
struct LinkPromise {
  int64_t min_latency = -1;
  int64_t max_latency = -1;
  bool duplicates = false;
};

struct NetworkState {
  LinkPromise every;                  // every link no entry of `links` names
  std::map<Link, LinkPromise> links;  // the links with settings of their own
  bool fifo = false;

  const LinkPromise& of(const std::string& from, const std::string& to) const {
    auto it = links.find({from, to});
    return it == links.end() ? every : it->second;
  }
};

LinkPromise read_promise(const nlohmann::json& settings) {
  LinkPromise promise;
  const nlohmann::json latency = field(settings, "latency", nlohmann::json());
  promise.min_latency = field(latency, "min", int64_t{-1});
  promise.max_latency = field(latency, "max", int64_t{-1});
  promise.duplicates = field(settings, "duplicate", 0.0) > 0.0;
  return promise;
}

bool is_node_action(TraceKind kind) {
  switch (kind) {
    case TraceKind::kSend:
    case TraceKind::kDeliver:
    case TraceKind::kTimer:
    case TraceKind::kTimerSet:
    case TraceKind::kTimerCancel:
    case TraceKind::kOperation:
    case TraceKind::kBuggify:
    case TraceKind::kNote:
    case TraceKind::kInterval:  // a node's handler opens one; its end comes whatever the node does
      return true;
    default:
      return false;
  }
}

}  // namespace

struct TraceAuditor::State {
  size_t max_findings;
  std::vector<AuditFinding> findings;
  AuditCounts counts;

  bool started = false;
  uint64_t next_index = 0;
  int64_t last_t = 0;

  std::map<std::string, NodeState> nodes;
  std::vector<std::string> universe;  // every node the config names, in name order
  NetworkState network;

  std::map<uint64_t, Flight> flights;
  Deadlines<uint64_t> flights_due;    // message ids, by their late_after
  std::set<uint64_t> drop_triggered;  // messages a timeline `drop` fault fired on
  std::vector<bool> sent_ids;  // a bit per message id sent, to tell an end twice from no send
  std::map<Link, uint64_t> last_on_link;  // FIFO: the last message id that ended on a link

  std::map<TimerKey, Timer> timers;
  Deadlines<TimerKey> timers_due;  // by their late_after

  std::map<uint64_t, std::set<Link>> partitions;  // id -> links it cuts
  std::map<Link, uint32_t> cut_count;

  void find(const TraceRecord& r, const char* law, std::string message) {
    ++counts.findings;
    if (findings.size() < max_findings) findings.push_back({r.index, law, std::move(message)});
  }

  std::string at(int64_t t) const { return "at " + format_ns(t); }

  NodeState& node(const TraceRecord& r) {
    auto [it, added] = nodes.try_emplace(r.node);
    if (added) {
      find(r, "order", "node " + r.node + " is not in the config record's clocks");
      it->second.clock.offset = minus(r.wall_ns, r.local_ns);
      it->second.clock.base_local = r.local_ns;
      it->second.clock.base_true = r.at_ns;
    }
    return it->second;
  }

  // --- the first record ---------------------------------------------------------------------

  void read_config(const TraceRecord& r) {
    const nlohmann::json clocks = field(r.data, "clocks", nlohmann::json());
    if (!clocks.is_object()) {
      find(r, "order", "the config record has no clocks object");
      return;
    }
    for (const auto& [name, clock] : clocks.items()) {
      NodeState& n = nodes[name];
      n.clock.ppm = ClockModel::clamped(field(clock, "drift_ppm", int64_t{0}));
      n.clock.offset = field(clock, "offset", int64_t{0});
      universe.push_back(name);
    }
    read_network(field(r.data, "network", nlohmann::json()));
  }

  // The network as the config record or a network record states it: the world's settings, and
  // each link named in `links` with the settings it ends up with.
  void read_network(const nlohmann::json& options) {
    network = NetworkState{};
    if (!options.is_object()) return;
    network.every = read_promise(options);
    network.fifo = field(options, "fifo", false);
    const nlohmann::json links = field(options, "links", nlohmann::json());
    if (!links.is_array()) return;
    for (const nlohmann::json& link : links) {
      network.links[{field(link, "from", std::string()), field(link, "to", std::string())}] =
          read_promise(link);
    }
  }

  // A `network` record states the new options in `data.network`. Traces of earlier versions gave
  // them only with per-link settings; otherwise only loss and duplication were in the detail, and
  // latency is unknown from then on.
  void change_network(const TraceRecord& r) {
    const nlohmann::json stated = field(r.data, "network", nlohmann::json());
    if (stated.is_object()) {
      read_network(stated);
      return;
    }
    const bool fifo = network.fifo;
    network = NetworkState{};
    network.fifo = fifo;
    const std::string::size_type dup = r.detail.find("duplicate ");
    network.every.duplicates =
        dup == std::string::npos || std::strtod(r.detail.c_str() + dup + 10, nullptr) > 0.0;
  }

  // --- laws of every record -----------------------------------------------------------------

  void check_order(const TraceRecord& r) {
    if (r.index != next_index) {
      find(r, "order",
           "record " + std::to_string(r.index) + " follows record " +
               std::to_string(next_index - 1) + ": records are numbered without gaps");
    }
    next_index = r.index + 1;
    if (started && r.at_ns < last_t) {
      find(r, "order",
           "true time goes back from " + format_ns(last_t) + " to " + format_ns(r.at_ns));
    }
    last_t = std::max(last_t, r.at_ns);
  }

  void check_clock(const TraceRecord& r, NodeState& n) {
    const int64_t local = n.clock.monotonic(r.at_ns);
    if (r.local_ns != local) {
      find(r, "clock",
           r.node + "'s monotonic clock reads " + format_ns(r.local_ns) + " " + at(r.at_ns) +
               "; its drift of " + std::to_string(n.clock.ppm) + " ppm gives " + format_ns(local));
    }
    const int64_t wall = n.clock.wall(r.at_ns);
    if (r.wall_ns != wall && r.kind != TraceKind::kClockJump) {
      find(r, "clock",
           r.node + "'s wall clock reads " + format_ns(r.wall_ns) + " " + at(r.at_ns) +
               "; its monotonic clock and offset " + format_ns(n.clock.offset) + " give " +
               format_ns(wall) + ", and only a clock jump moves the offset");
    }
  }

  void check_lamport(const TraceRecord& r, NodeState& n) {
    if (r.lamport == 0) return;
    if (r.lamport < n.lamport) {
      find(r, "lamport",
           r.node + "'s Lamport clock goes back from " + std::to_string(n.lamport) + " to " +
               std::to_string(r.lamport));
    }
    n.lamport = std::max(n.lamport, r.lamport);
  }

  bool was_sent(uint64_t id) const { return id < sent_ids.size() && sent_ids[id]; }

  // --- timers -------------------------------------------------------------------------------

  void forget_timer(std::map<TimerKey, Timer>::iterator it) {
    timers_due.remove(it->first, it->second.late_after);
    timers.erase(it);
  }

  // Timers whose instant passed before `now` without firing. A node paused at that instant
  // fires them at its resume instead.
  void check_due(const TraceRecord& r) {
    while (std::optional<TimerKey> key = timers_due.take_overdue(r.at_ns)) {
      auto it = timers.find(*key);
      const Timer& timer = it->second;
      if (nodes[key->first].paused) {
        it->second.held = true;
        continue;
      }
      find(r, "timer",
           "timer " + std::to_string(key->second) + " of " + key->first + " (armed at record " +
               std::to_string(timer.index) + " for " + format_ns(timer.deadline) +
               " on its monotonic clock) has not fired by " + format_ns(r.at_ns) +
               "; it was due by " + format_ns(timer.late_after));
      timers.erase(it);
    }
  }

  // Messages whose greatest latency passed before `now` without a delivery or a drop. One that
  // reached a paused node waits in its receive buffer until the resume (or a crash drops it).
  void check_flights_due(const TraceRecord& r) {
    while (std::optional<uint64_t> id = flights_due.take_overdue(r.at_ns)) {
      auto it = flights.find(*id);
      if (it == flights.end() || it->second.ends > 0) continue;
      Flight& f = it->second;
      if (nodes[f.to].paused) {
        f.held = true;
        continue;
      }
      find(r, "message",
           "message " + std::to_string(*id) + " from " + f.from + " to " + f.to + ", sent " +
               at(f.sent_at) + " (record " + std::to_string(f.index) +
               "), is neither delivered nor dropped by " + format_ns(r.at_ns) +
               "; every send ends in a delivery or a drop by " + format_ns(f.late_after));
      flights.erase(it);
    }
  }

  void schedule_flight(uint64_t id, Flight& f, int64_t late_after) {
    f.held = false;
    flights_due.move(id, f.late_after, late_after);
  }

  void timer_set(const TraceRecord& r, NodeState& n) {
    if (r.deadline_ns < r.local_ns) {
      find(r, "timer",
           "timer " + std::to_string(r.timer) + " of " + r.node + " is armed for " +
               format_ns(r.deadline_ns) + ", before its clock's reading " + format_ns(r.local_ns));
    }
    const TimerKey key{r.node, r.timer};
    if (timers.count(key)) {
      find(r, "timer", "timer " + std::to_string(r.timer) + " of " + r.node + " is armed twice");
      forget_timer(timers.find(key));
    }
    Timer& timer = timers[key];
    timer.index = r.index;
    timer.deadline = r.deadline_ns;
    timer.late_after = -1;
    timers_due.move(key, timer.late_after,
                    plus(n.clock.first_instant(r.deadline_ns, r.at_ns), n.clock.timer_slack()));
  }

  void timer_fired(const TraceRecord& r) {
    auto it = timers.find({r.node, r.timer});
    if (it == timers.end()) {
      find(r, "timer",
           "timer " + std::to_string(r.timer) + " of " + r.node +
               " fired, but it is not armed (never armed, cancelled, fired already, or armed "
               "before a crash)");
      return;
    }
    const Timer& timer = it->second;
    if (r.local_ns < timer.deadline) {
      find(r, "timer",
           "timer " + std::to_string(r.timer) + " of " + r.node + " fired at " +
               format_ns(r.local_ns) + " on its monotonic clock, before its deadline " +
               format_ns(timer.deadline));
    } else if (r.at_ns > timer.late_after) {
      find(r, "timer",
           "timer " + std::to_string(r.timer) + " of " + r.node + " fired " + at(r.at_ns) +
               ", late: its clock read its deadline " + format_ns(timer.deadline) + " by " +
               format_ns(timer.late_after));
    }
    forget_timer(it);
  }

  void timer_cancelled(const TraceRecord& r) {
    auto it = timers.find({r.node, r.timer});
    if (it == timers.end()) {
      find(r, "timer",
           "timer " + std::to_string(r.timer) + " of " + r.node +
               " is cancelled, but it is not armed");
      return;
    }
    forget_timer(it);
  }

  std::map<TimerKey, Timer>::iterator first_timer(const std::string& name) {
    return timers.lower_bound({name, 0});
  }

  // A drift change moves the instant every armed timer of the node is due.
  void rate_changed(const TraceRecord& r, NodeState& n) {
    for (auto it = first_timer(r.node); it != timers.end() && it->first.first == r.node; ++it) {
      if (it->second.held) continue;
      timers_due.move(
          it->first, it->second.late_after,
          plus(n.clock.first_instant(it->second.deadline, r.at_ns), n.clock.timer_slack()));
    }
  }

  // What waited through a pause is handled from the resume on, a nanosecond apart.
  void resumed(const TraceRecord& r) {
    uint64_t waiting = 0;
    for (const auto& [id, flight] : flights) {
      if (flight.to == r.node && flight.ends < flight.ends_allowed) ++waiting;
    }
    for (auto it = first_timer(r.node); it != timers.end() && it->first.first == r.node; ++it) {
      if (it->second.held) ++waiting;
    }
    const int64_t by = plus(r.at_ns, static_cast<int64_t>(std::min<uint64_t>(waiting, 1u << 30)));
    for (auto it = first_timer(r.node); it != timers.end() && it->first.first == r.node; ++it) {
      if (!it->second.held) continue;
      it->second.held = false;
      timers_due.move(it->first, it->second.late_after, by);
    }
    // A message in the buffer but not yet past its own bound may now be handled after it.
    for (auto& [id, flight] : flights) {
      if (flight.to != r.node || (!flight.held && flight.late_after < 0)) continue;
      schedule_flight(id, flight, std::max(flight.late_after, by));
    }
  }

  // What waited in a paused node's receive buffer ends in a drop before the crash record.
  void check_buffer_dropped(const TraceRecord& r) {
    for (auto it = flights.begin(); it != flights.end();) {
      const Flight& f = it->second;
      if (f.to == r.node && f.held && f.ends == 0) {
        find(r, "message",
             "message " + std::to_string(it->first) + " from " + f.from + " waited in " + r.node +
                 "'s receive buffer and is lost in its crash without a drop record");
        flights_due.remove(it->first, f.late_after);
        it = flights.erase(it);
      } else {
        ++it;
      }
    }
  }

  void crashed(const std::string& name) {
    for (auto it = first_timer(name); it != timers.end() && it->first.first == name;) {
      auto next = std::next(it);
      forget_timer(it);
      it = next;
    }
  }

  // --- node states --------------------------------------------------------------------------

  void check_state(const TraceRecord& r, NodeState& n) {
    const std::string what = std::string(to_string(r.kind));
    auto refuse = [&](const std::string& why) {
      find(r, "node-state", r.node + ": " + what + " " + why);
    };
    switch (r.kind) {
      case TraceKind::kStart:
        if (n.booted) refuse("after it had booted");
        n.booted = n.up = true;
        break;
      case TraceKind::kRestart:
        if (!n.booted || n.up) refuse("while it was not down");
        n.booted = n.up = true;
        break;
      case TraceKind::kCrash:
        if (!n.up) refuse("while it was down");
        check_buffer_dropped(r);
        n.up = n.paused = false;
        crashed(r.node);
        break;
      case TraceKind::kPause:
        if (!n.up || n.paused) refuse("while it was not up and running");
        n.paused = true;
        ++n.pauses;
        break;
      case TraceKind::kResume:
        if (!n.paused) refuse("while it was not paused");
        n.paused = false;
        resumed(r);
        break;
      default:
        if (is_node_action(r.kind) && (!n.up || n.paused)) {
          refuse(std::string("while it was ") + (n.paused ? "paused" : "down"));
        }
    }
  }

  // --- messages and links -------------------------------------------------------------------

  bool link_cut(const std::string& from, const std::string& to) const {
    auto it = cut_count.find({from, to});
    return it != cut_count.end() && it->second > 0;
  }

  void sent(const TraceRecord& r) {
    ++counts.sends;
    if (was_sent(r.message_id)) {
      find(r, "message", "message " + std::to_string(r.message_id) + " is sent twice");
    }
    // Ids count sends, fewer than a run's 50 million events (run::kMaxRunEvents): a bit each up to
    // 2^26 (8 MiB), and a trace with larger ids tells an end twice from an end unsent less well.
    if (r.message_id < (uint64_t{1} << 26)) {
      if (sent_ids.size() <= r.message_id) sent_ids.resize(r.message_id * 2 + 64);
      sent_ids[r.message_id] = true;
    }
    Flight& f = flights[r.message_id];
    f.from = r.node;
    f.to = r.peer;
    f.index = r.index;
    f.sent_at = r.at_ns;
    f.lamport = r.lamport;
    const LinkPromise& link = network.of(r.node, r.peer);
    f.min_latency = link.min_latency;
    f.max_latency = link.max_latency;
    f.fifo = network.fifo;
    f.ends_allowed = link.duplicates ? 2 : 1;
    auto receiver = nodes.find(r.peer);
    if (receiver != nodes.end()) {
      f.receiver_pauses = receiver->second.pauses;
      f.receiver_paused = receiver->second.paused;
    }
    // A FIFO link may hold a message back behind an earlier one: no bound of its own.
    if (f.max_latency >= 0 && !f.fifo) {
      schedule_flight(r.message_id, f, plus(r.at_ns, f.max_latency));
    }
  }

  // A delivery or a drop: where a message ends.
  void ended(const TraceRecord& r, const NodeState& receiver) {
    auto it = flights.find(r.message_id);
    const std::string name = "message " + std::to_string(r.message_id);
    if (it == flights.end()) {
      find(r, "message",
           name + (was_sent(r.message_id)
                       ? " ends again after it had ended: a message ends once, or twice when "
                         "the network duplicates it"
                       : " ends without a send before it"));
      return;
    }
    Flight& f = it->second;
    if (f.from != r.peer || f.to != r.node) {
      find(r, "message",
           name + " was sent by " + f.from + " to " + f.to + ", but ends from " + r.peer + " at " +
               r.node);
    }
    ++f.ends;
    const bool delivery = r.kind == TraceKind::kDeliver;
    // A message that reached a paused node is handled at its resume, whenever that comes; one
    // lost in its buffer ends when the node crashes.
    const bool waited = (delivery && (f.receiver_paused || f.receiver_pauses != receiver.pauses)) ||
                        (!delivery && r.detail == "crash");
    const int64_t latency = minus(r.at_ns, f.sent_at);
    if (f.min_latency >= 0 && latency < f.min_latency) {
      find(r, "message",
           name + " from " + f.from + " ends " + format_ns(latency) +
               " after its send, sooner than the network's least latency " +
               format_ns(f.min_latency));
    }
    if (!waited && !f.fifo && f.max_latency >= 0 && latency > f.max_latency) {
      find(r, "message",
           name + " from " + f.from + " ends " + format_ns(latency) +
               " after its send, later than the network's greatest latency " +
               format_ns(f.max_latency));
    }
    if (f.fifo) {
      uint64_t& last = last_on_link[{f.from, f.to}];
      if (r.message_id < last) {
        find(r, "message",
             name + " ends after message " + std::to_string(last) +
                 ", sent later on the FIFO link " + f.from + " -> " + f.to);
      }
      last = std::max(last, r.message_id);
    }
    if (delivery) {
      ++counts.deliveries;
      if (r.lamport <= f.lamport) {
        find(r, "lamport",
             name + " is delivered with Lamport clock " + std::to_string(r.lamport) +
                 ", not above its send's " + std::to_string(f.lamport));
      }
      if (!waited && link_cut(f.from, f.to)) {
        find(r, "partition",
             name + " is delivered over the link " + f.from + " -> " + f.to +
                 ", which a partition in force cuts");
      }
    } else {
      ++counts.drops;
      check_drop_reason(r, receiver, f, name);
    }
    if (f.ends >= f.ends_allowed) {
      flights_due.remove(r.message_id, f.late_after);
      flights.erase(it);
    }
  }

  void check_drop_reason(const TraceRecord& r, const NodeState& receiver, const Flight& f,
                         const std::string& name) {
    if (r.detail == "partition" && !link_cut(f.from, f.to)) {
      find(r, "partition",
           name + " is dropped for a partition, but no partition in force cuts " + f.from + " -> " +
               f.to);
    } else if (r.detail == "down" && receiver.up) {
      find(r, "partition", name + " is dropped because " + r.node + " is down, but it is up");
    } else if (r.detail == "crash" && !receiver.paused) {
      find(r, "partition",
           name + " is dropped from " + r.node +
               "'s receive buffer by a crash, but the node was not paused");
    } else if (r.detail == "trigger" && !drop_triggered.count(r.message_id)) {
      find(r, "message",
           name + " is dropped by a trigger, but no trigger record with a drop names it");
    } else if (r.detail != "partition" && r.detail != "down" && r.detail != "crash" &&
               r.detail != "loss" && r.detail != "trigger") {
      find(r, "message",
           name + " is dropped for \"" + r.detail +
               "\"; a drop is for loss, partition, down, crash or trigger");
    }
  }

  // --- partitions ---------------------------------------------------------------------------

  std::set<Link> cut_of(const TraceRecord& r) {
    std::set<Link> links;
    const std::string mode = field(r.data, "mode", std::string());
    const nlohmann::json groups_json = field(r.data, "groups", nlohmann::json());
    std::vector<std::vector<std::string>> groups;
    for (const nlohmann::json& group :
         groups_json.is_array() ? groups_json : nlohmann::json::array()) {
      groups.emplace_back();
      if (!group.is_array()) continue;
      for (const nlohmann::json& name : group) {
        if (name.is_string()) groups.back().push_back(name.get<std::string>());
      }
    }
    auto cut_between = [&](const std::vector<std::string>& a, const std::vector<std::string>& b,
                           bool both_ways) {
      for (const std::string& x : a) {
        for (const std::string& y : b) {
          if (x == y) continue;
          links.insert({x, y});
          if (both_ways) links.insert({y, x});
        }
      }
    };
    if (mode == "split" || mode == "majority-minority") {
      for (size_t i = 0; i < groups.size(); ++i) {
        for (size_t j = i + 1; j < groups.size(); ++j) cut_between(groups[i], groups[j], true);
      }
    } else if (mode == "one-way" && groups.size() == 2) {
      cut_between(groups[0], groups[1], false);
    } else if (mode == "isolate" && !groups.empty()) {
      std::vector<std::string> others;
      for (const std::string& name : universe) {
        if (std::find(groups[0].begin(), groups[0].end(), name) == groups[0].end()) {
          others.push_back(name);
        }
      }
      cut_between(groups[0], others, true);
    } else if (mode == "bridge" && groups.size() >= 2) {
      cut_between(groups[0], groups[1], true);
    } else {
      find(r, "partition",
           "a partition of mode \"" + mode + "\" with " + std::to_string(groups.size()) +
               " groups is not one the trace format defines");
    }
    return links;
  }

  void end_partition(uint64_t id) {
    auto it = partitions.find(id);
    if (it == partitions.end()) return;
    for (const Link& link : it->second) --cut_count[link];
    partitions.erase(it);
  }

  void partitioned(const TraceRecord& r) {
    if (!field(r.data, "stacks", false)) {
      partitions.clear();
      cut_count.clear();
    }
    const uint64_t id = field(r.data, "id", uint64_t{0});
    end_partition(id);
    std::set<Link> links = cut_of(r);
    for (const Link& link : links) ++cut_count[link];
    partitions[id] = std::move(links);
  }

  void healed(const TraceRecord& r) {
    if (r.data.is_object() && r.data.contains("id")) {
      end_partition(field(r.data, "id", uint64_t{0}));
    } else {
      partitions.clear();
      cut_count.clear();
    }
  }

  // --- one record ---------------------------------------------------------------------------

  void add(const TraceRecord& r) {
    ++counts.records;
    check_order(r);
    if (!started) {
      started = true;
      if (r.kind != TraceKind::kConfig) {
        find(r, "order",
             "the first record is " + std::string(to_string(r.kind)) +
                 ", not config: the trace does not say how its world began");
      } else {
        read_config(r);
        return;
      }
    }
    if (r.kind == TraceKind::kTimer && !r.node.empty()) timer_fired(r);
    check_due(r);
    check_flights_due(r);
    if (r.node.empty()) {
      world_event(r);
      return;
    }
    NodeState& n = node(r);
    check_clock(r, n);
    if (r.kind == TraceKind::kDrop) {
      ended(r, n);  // judged in the state the receiver is in
    } else {
      check_state(r, n);
    }
    check_lamport(r, n);
    switch (r.kind) {
      case TraceKind::kSend:
        sent(r);
        break;
      case TraceKind::kDeliver:
        ended(r, n);
        break;
      case TraceKind::kTimerSet:
        timer_set(r, n);
        break;
      case TraceKind::kTimerCancel:
        timer_cancelled(r);
        break;
      case TraceKind::kTimer:
        ++counts.timers_fired;
        break;
      case TraceKind::kTrigger:
        if (field(r.data, "fault", std::string()) == "drop") {
          drop_triggered.insert(r.message_id);
        }
        break;
      case TraceKind::kClockDrift:
        ++counts.faults;
        n.clock.set_rate(r.at_ns, std::strtoll(r.detail.c_str(), nullptr, 10));
        rate_changed(r, n);
        break;
      case TraceKind::kClockJump:
        ++counts.faults;
        clock_jumped(r, n);
        break;
      case TraceKind::kCrash:
      case TraceKind::kRestart:
      case TraceKind::kPause:
      case TraceKind::kResume:
        ++counts.faults;
        break;
      default:
        break;
    }
  }

  void clock_jumped(const TraceRecord& r, NodeState& n) {
    const int64_t offset = minus(r.wall_ns, r.local_ns);
    sim::Duration by;
    const std::string text =
        !r.detail.empty() && r.detail[0] == '+' ? r.detail.substr(1) : r.detail;
    if (sim::parse_duration(text, by)) {
      const int64_t expected = sim::saturate(static_cast<Int128>(n.clock.offset) + by.ns(),
                                             sim::NodeClock::kMaxWallOffset.ns());
      if (offset != expected) {
        find(r, "clock",
             r.node + "'s wall clock jumps by " + r.detail + " from offset " +
                 format_ns(n.clock.offset) + ", but its offset is now " + format_ns(offset));
      }
    }
    n.clock.offset = offset;
  }

  void world_event(const TraceRecord& r) {
    switch (r.kind) {
      case TraceKind::kPartition:
        ++counts.faults;
        partitioned(r);
        break;
      case TraceKind::kHeal:
        ++counts.faults;
        healed(r);
        break;
      case TraceKind::kNetwork:
        ++counts.faults;
        change_network(r);
        break;
      case TraceKind::kConfig:
        find(r, "order", "a second config record");
        break;
      default:
        break;
    }
  }

  // --- the end ------------------------------------------------------------------------------

  // What is left open at the end was still in flight or armed: the run ended before it was due
  // (every record after its bound would have reported it).
  void finish() {
    counts.nodes = nodes.size();
    for (const auto& [id, f] : flights) {
      if (f.ends == 0) ++counts.in_flight;
    }
  }
};

TraceAuditor::TraceAuditor(size_t max_findings) : state_(std::make_unique<State>()) {
  state_->max_findings = max_findings;
}
TraceAuditor::~TraceAuditor() = default;
TraceAuditor::TraceAuditor(TraceAuditor&&) noexcept = default;
TraceAuditor& TraceAuditor::operator=(TraceAuditor&&) noexcept = default;

void TraceAuditor::add(const TraceRecord& record) {
  state_->add(record);
}

void TraceAuditor::finish() {
  state_->finish();
}

const std::vector<AuditFinding>& TraceAuditor::findings() const {
  return state_->findings;
}

const AuditCounts& TraceAuditor::counts() const {
  return state_->counts;
}

TraceAuditor audit_trace(const std::vector<TraceRecord>& records, size_t max_findings) {
  TraceAuditor auditor(max_findings);
  for (const TraceRecord& record : records) auditor.add(record);
  auditor.finish();
  return auditor;
}

}  // namespace faultline::reports
