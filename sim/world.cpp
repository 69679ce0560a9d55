#include "sim/world.hpp"

#include <algorithm>
#include <cassert>

namespace faultline::sim {

World::World(WorldOptions options, std::unique_ptr<Choices> choices)
    : options_(std::move(options)),
      choices_(std::move(choices)),
      schedule_stream_(stream("schedule")),
      network_stream_(stream("network")),
      faults_stream_(stream("faults")),
      buggify_stream_(stream("buggify")),
      transport_(options_.network, *choices_, network_stream_) {
  assert(schedule_stream_ == kScheduleStream);
  if (options_.timed_search) transport_.choose_latencies(*options_.timed_search);
}

World::~World() {
  // Destroy nodes (and the fibers they own) while the rest of the world still exists.
  for (auto& record : nodes_) record.actor.reset();
}

StreamId World::stream(std::string_view name) {
  if (auto it = streams_.find(name); it != streams_.end()) return it->second;
  auto id = static_cast<StreamId>(streams_.size());
  streams_.emplace(std::string(name), id);
  choices_->add_stream(name);
  return id;
}

NodeId World::add_node(std::string name, NodeFactory factory, NodeClock clock, TrueTime boot_at) {
  assert(!find_node(name) && "node names are unique");
  auto id = static_cast<NodeId>(nodes_.size());
  NodeRecord record;
  record.factory = std::move(factory);
  record.clock = clock;
  record.base_drift = clock.drift();
  record.base_offset = clock.wall_offset();
  record.stream = stream("node:" + name);
  nodes_.push_back(std::move(record));
  names_.push_back(std::move(name));
  push(Event{boot_at, 0, EventKind::kBoot, id, 0});
  return id;
}

void World::configure_clock(NodeId node, NodeClock clock) {
  nodes_[node].clock = clock;
  nodes_[node].base_drift = clock.drift();
  nodes_[node].base_offset = clock.wall_offset();
}

void World::configure_untimed(FaultBudget budget) {
  assert(untimed() && "an untimed world's budget");
  options_.untimed = std::move(budget);
}

void World::configure_network(NetworkOptions network) {
  options_.network = std::move(network);
  transport_.set_options(options_.network);
}

std::optional<NodeId> World::find_node(std::string_view name) const {
  for (NodeId i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

Fault World::schedule_fault(Fault fault) {
  if (fault.kind == Fault::Kind::kPartition) {
    if (fault.partition_id == 0) fault.partition_id = next_partition_id_;
    next_partition_id_ = std::max(next_partition_id_, fault.partition_id + 1);
  }
  if (fault.when) {
    triggers_.push_back(ArmedTrigger{fault});
    return fault;
  }
  faults_.push_back(fault);
  push(
      Event{fault.at, 0, EventKind::kFault, fault.node, static_cast<uint32_t>(faults_.size() - 1)});
  return fault;
}

void World::add_invariant(std::string name, std::function<std::optional<Finding>()> check) {
  invariants_.push_back(Invariant{std::move(name), std::move(check)});
}

void World::add_invariant(std::string name, std::function<std::optional<std::string>()> check) {
  add_invariant(std::move(name), [check = std::move(check)]() -> std::optional<Finding> {
    std::optional<std::string> message = check();
    if (!message) return std::nullopt;
    return Finding{.message = std::move(*message)};
  });
}

void World::add_sometimes(std::string name, std::function<bool()> reached) {
  // Evaluated as one more invariant, one that never breaks: wherever invariants are checked.
  if (sometimes_.empty()) {
    add_invariant("sometimes", [this]() -> std::optional<Finding> {
      sometimes_.evaluate(stats_.events, now_.ns());
      return std::nullopt;
    });
  }
  sometimes_.add(std::move(name), std::move(reached));
}

// --- the event loop ------------------------------------------------------------------------

void World::push(Event event) {
  event.seq = next_seq_++;
  if (untimed()) {
    pending_.push_back(event);
    return;
  }
  // An event due now while a batch of simultaneous events is being drawn from joins that batch:
  // it may run before any of them.
  if (!ready_.empty() && event.at == now_) {
    ready_.push_back(event);
    return;
  }
  heap_insert(event);
}

void World::heap_insert(const Event& event) {
  const UInt128 key = order_key(event);
  size_t i = heap_.size();
  heap_.push_back(event);
  while (i > 0) {
    size_t parent = (i - 1) / 4;
    if (order_key(heap_[parent]) <= key) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = event;
}

World::Event World::heap_remove_first() {
  const Event first = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) heap_sift_down(0);
  return first;
}

void World::heap_sift_down(size_t i) {
  const size_t n = heap_.size();
  const Event moving = heap_[i];
  const UInt128 key = order_key(moving);
  while (true) {
    size_t child = 4 * i + 1;
    if (child >= n) break;
    size_t best = child;
    UInt128 best_key = order_key(heap_[child]);
    for (size_t c = child + 1; c < std::min(child + 4, n); ++c) {
      UInt128 k = order_key(heap_[c]);
      if (k < best_key) {
        best_key = k;
        best = c;
      }
    }
    if (key <= best_key) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = moving;
}

bool World::pop(TrueTime end, Event& out) {
  // A timer cancelled by an event of this batch has left it.
  std::erase_if(ready_, [this](const Event& e) { return !keep(e); });
  while (ready_.empty()) {
    if (heap_.empty() || heap_.front().at > end) return false;
    const TrueTime at = heap_.front().at;
    if (!intervals_.empty()) end_intervals_due(at);
    do {
      Event e = heap_remove_first();
      if (keep(e)) ready_.push_back(e);
    } while (!heap_.empty() && heap_.front().at == at);
    if (!ready_.empty()) now_ = at;
  }
  // Which of the simultaneous events goes first is a choice; 0 is the one scheduled first.
  size_t pick = ready_.size() == 1 ? 0 : choices_->draw(schedule_stream_, ready_.size());
  out = ready_[pick];
  ready_.erase(ready_.begin() + static_cast<long>(pick));
  return true;
}

bool World::keep(const Event& event) {
  if (event.kind != EventKind::kTimer) return true;
  TimerSlot& t = timers_[event.slot];
  // Superseded by a moved deadline: the timer's current event owns the slot.
  if (event.version != t.version) return false;
  // A crash bumps the incarnation, so this also covers timers of a node that is down.
  if (t.armed && t.incarnation == nodes_[t.node].incarnation) return true;
  t.armed = false;
  free_timers_.push_back(event.slot);
  return false;
}

void World::compact_heap() {
  auto dead = std::partition(heap_.begin(), heap_.end(), [this](const Event& e) {
    if (e.kind != EventKind::kTimer) return true;
    const TimerSlot& t = timers_[e.slot];
    return e.version == t.version && t.armed && t.incarnation == nodes_[t.node].incarnation;
  });
  for (auto it = dead; it != heap_.end(); ++it) keep(*it);  // frees the slot
  heap_.erase(dead, heap_.end());
  // Floyd's heap construction, O(n). (time, seq) is a total order, so the pops to come are the
  // same whatever the heap's layout.
  for (size_t i = heap_.size() / 4 + 1; i-- > 0;) {
    if (i < heap_.size()) heap_sift_down(i);
  }
  cancelled_since_compaction_ = 0;
}

void World::run_until(TrueTime end) {
  Event event;
  while (!stopped_ && pop(end, event)) {
    ++stats_.events;
    dispatch(event);
    if (!triggered_pending_.empty()) apply_triggered_after_step();
    if (!invariants_.empty()) check_invariants();
    if (options_.max_events != 0 && stats_.events >= options_.max_events) {
      limit_reached_ = "events";
    } else if (options_.max_faults != 0 && stats_.faults >= options_.max_faults) {
      limit_reached_ = "faults";
    }
    if (!limit_reached_.empty()) stopped_ = true;
  }
  if (!stopped_ && now_ < end) {
    if (!intervals_.empty()) end_intervals_due(end);
    now_ = end;
  }
}

void World::dispatch(const Event& event) {
  switch (event.kind) {
    case EventKind::kBoot:
      boot(event.node, false);
      break;
    case EventKind::kDeliver:
      deliver(event);
      break;
    case EventKind::kTimer:
      fire_timer(event);
      break;
    case EventKind::kFault: {
      // A copy: what the fault sets off (a restart's on_start) may schedule faults, and grow the
      // vector under a reference.
      const Fault fault = faults_[event.slot];
      apply(fault);
      break;
    }
    case EventKind::kWake:
      wake(event.slot);
      break;
  }
}

void World::wake_at(TrueTime at, std::function<void()> callback) {
  assert(!untimed() && "drivers wake timed worlds only");
  uint32_t slot;
  if (free_wakes_.empty()) {
    slot = static_cast<uint32_t>(wakes_.size());
    wakes_.emplace_back();
  } else {
    slot = free_wakes_.back();
    free_wakes_.pop_back();
  }
  wakes_[slot] = std::move(callback);
  push(Event{at, 0, EventKind::kWake, kNoNode, slot});
}

void World::wake(uint32_t slot) {
  // Moved out first: the callback may wake its driver again, into this slot or a new one.
  std::function<void()> callback = std::move(wakes_[slot]);
  wakes_[slot] = nullptr;
  free_wakes_.push_back(slot);
  callback();
}

void World::check_invariants() {
  for (const Invariant& invariant : invariants_) {
    std::optional<Finding> broken = invariant.check();
    if (!broken) continue;
    broken->checker = invariant.name;
    broken->at_ns = now_.ns();
    report_violation(std::move(*broken));
  }
}

void World::report_violation(Finding violation) {
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kViolation, kNoNode);
    e.detail = violation.checker + ": " + violation.message;
    emit(e);
    violation.trace_index = e.index;
  }
  violations_.push_back(std::move(violation));
  if (options_.stop_on_violation) stopped_ = true;
}

// --- nodes ---------------------------------------------------------------------------------

void World::boot(NodeId id, bool restart) {
  NodeRecord& node = nodes_[id];
  node.up = true;
  node.booted = true;
  node.actor = node.factory();
  ++node.lamport;
  if (keeps_inputs()) record_input(id, restart ? 2 : 1);
  if (tracing()) {
    TraceEvent e = make_trace(restart ? TraceKind::kRestart : TraceKind::kStart, id);
    emit(e);
  }
  Context ctx(*this, id);
  node.actor->on_start(ctx);
}

const char* World::arrival_drop(uint32_t slot) const {
  if (const char* reason = transport_.arrival_drop(slot)) return reason;
  return nodes_[transport_.at(slot).message.to].up ? nullptr : "down";
}

void World::deliver(const Event& event) {
  const char* dropped = arrival_drop(event.slot);
  // A delivery trigger counts the message once, when it reaches its node up and running; its
  // fault applies before the node handles it, and the message then arrives into the world that
  // fault made (a pause buffers it, a crash or a partition of its link loses it).
  if (!triggers_.empty() && !dropped && !nodes_[event.node].paused &&
      !transport_.at(event.slot).matched) {
    transport_.at(event.slot).matched = true;
    bool drop = false;
    std::vector<Fault> due;
    match_triggers(FaultTrigger::On::kDeliver, event.slot, drop, due);
    for (const Fault& fault : due) apply(fault);
    dropped = drop ? "trigger" : arrival_drop(event.slot);
  }
  if (dropped) {
    drop_message(event.slot, dropped);
    return;
  }
  // Read in place: a lost, dropped or deferred message is never moved.
  Transport::InFlight& flight = transport_.at(event.slot);
  NodeRecord& node = nodes_[flight.message.to];
  if (node.paused) {
    // Keep the message in its slot and hand it over at the resume.
    flight.arrived = true;
    node.deferred.push_back(event);
    return;
  }
  const uint64_t hash = flight.hash;
  // Moved out before the handler runs: what it sends may reuse or reallocate the slots.
  Message m = transport_.receive(event.slot);
  ++stats_.messages_delivered;
  node.lamport = std::max(node.lamport, m.lamport) + 1;
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kDeliver, m.to);
    e.peer = m.from;
    e.message_id = m.id;
    e.call_id = m.call_id;
    e.data = nlohmann::json{{"type", m.payload.type_name()}};
    emit(e);
  }
  if (keeps_inputs()) record_input(m.to, hash);
  Context ctx(*this, m.to);
  node.actor->on_message(ctx, m);
}

void World::send_message(NodeId from, NodeId to, Payload payload, uint64_t call_id, bool is_reply) {
  assert(to < nodes_.size());
  ++stats_.messages_sent;
  const uint32_t slot =
      transport_.post(from, to, call_id, is_reply, ++nodes_[from].lamport, std::move(payload));
  if (tracing()) {
    const Message& m = transport_.at(slot).message;
    TraceEvent e = make_trace(TraceKind::kSend, from);
    e.peer = to;
    e.message_id = m.id;
    e.call_id = call_id;
    e.data = m.payload.to_json();
    emit(e);
  }
  if (untimed()) {
    // Loss and duplication are the budget's steps here, and latency is no part of the state.
    Transport::InFlight& flight = transport_.at(slot);
    flight.hash = message_hash(flight.message);
    push(Event{now_, 0, EventKind::kDeliver, to, slot});
    return;
  }
  if (options_.timed_search) transport_.at(slot).hash = message_hash(transport_.at(slot).message);
  const bool duplicated = transport_.draw_at_send(slot);
  // After the network's draws, so that a trigger leaves every random stream as it was; before
  // the copy, which is lost with its original.
  if (!triggers_.empty()) {
    bool drop = false;
    match_triggers(FaultTrigger::On::kSend, slot, drop, triggered_pending_);
    if (drop) transport_.at(slot).lost = "trigger";
  }
  if (duplicated) schedule_delivery(transport_.duplicate(slot));
  schedule_delivery(slot);
}

void World::drop_message(uint32_t slot, const char* reason) {
  ++stats_.messages_dropped;
  if (tracing()) {
    const Message& message = transport_.at(slot).message;
    TraceEvent e = make_trace(TraceKind::kDrop, message.to);
    e.peer = message.from;
    e.message_id = message.id;
    e.call_id = message.call_id;
    e.detail = reason;
    e.data = nlohmann::json{{"type", message.payload.type_name()}};
    emit(e);
  }
  transport_.discard(slot);
}

void World::schedule_delivery(uint32_t slot) {
  push(Event{transport_.arrival_time(slot, now_), 0, EventKind::kDeliver,
             transport_.at(slot).message.to, slot});
}

// --- timers --------------------------------------------------------------------------------

TimerId World::arm_timer(NodeId node, Duration after, uint64_t tag, Duration period) {
  uint32_t slot;
  if (free_timers_.empty()) {
    slot = static_cast<uint32_t>(timers_.size());
    timers_.emplace_back();
  } else {
    slot = free_timers_.back();
    free_timers_.pop_back();
  }
  TimerSlot& t = timers_[slot];
  t.node = node;
  t.incarnation = nodes_[node].incarnation;
  ++t.generation;
  t.armed = true;
  t.tag = tag;
  t.period = period;
  t.deadline = monotonic(node) + std::max(after, Duration{});
  t.serial = next_timer_serial_++;
  schedule_timer(slot);
  if (tracing()) trace_timer(TraceKind::kTimerSet, t);
  return TimerId{slot, t.generation};
}

void World::rearm_timer(uint32_t slot) {
  TimerSlot& t = timers_[slot];
  // The same records and the same event a handler re-arming by hand first thing would make:
  // node types moved onto every() from such code keep their traces.
  t.deadline = monotonic(t.node) + t.period;
  t.serial = next_timer_serial_++;
  schedule_timer(slot);
  if (tracing()) trace_timer(TraceKind::kTimerSet, t);
}

void World::schedule_timer(uint32_t slot) {
  TimerSlot& t = timers_[slot];
  const NodeClock& clock = nodes_[t.node].clock;
  ++t.version;
  // Rounded up (true_length): a timer never fires before its node's clock reads its deadline.
  const TrueTime from = node_time(t.node);
  Duration length = clock.true_length(t.deadline - clock.monotonic(from));
  push(Event{from + length, 0, EventKind::kTimer, t.node, slot, t.version});
}

void World::reschedule_timers(NodeId node) {
  const LocalTime local = nodes_[node].clock.monotonic(now_);
  // In slot order: the new events' sequence numbers are the same on every run.
  for (uint32_t slot = 0; slot < timers_.size(); ++slot) {
    const TimerSlot& t = timers_[slot];
    if (t.node != node || !t.armed || t.incarnation != nodes_[node].incarnation) continue;
    // A timer already due (waiting for the end of a pause, or among the events of this instant)
    // has met its deadline; it stays where it is.
    if (t.deadline <= local) continue;
    schedule_timer(slot);
  }
}

void World::disarm_timer(TimerId id) {
  if (!id.valid() || id.slot >= timers_.size()) return;
  TimerSlot& t = timers_[id.slot];
  if (t.generation != id.generation || !t.armed) return;
  t.armed = false;
  if (tracing()) trace_timer(TraceKind::kTimerCancel, t);
  if (++cancelled_since_compaction_ > heap_.size() / 2 && heap_.size() >= 256) compact_heap();
}

void World::trace_timer(TraceKind kind, const TimerSlot& timer) {
  TraceEvent e = make_trace(kind, timer.node);
  e.timer = timer.serial;
  if (kind == TraceKind::kTimerSet) e.deadline = timer.deadline;
  emit(e);
}

void World::fire_timer(const Event& event) {
  TimerSlot& t = timers_[event.slot];
  NodeRecord& node = nodes_[t.node];
  bool live = t.armed && node.up && t.incarnation == node.incarnation;
  if (live && node.paused) {
    node.deferred.push_back(event);
    return;
  }
  TimerId id{event.slot, t.generation};
  uint64_t tag = t.tag;
  const bool periodic = live && t.period > Duration{};
  if (!periodic) {
    t.armed = false;
    free_timers_.push_back(event.slot);
  }
  if (!live) return;
  ++stats_.timers_fired;
  ++node.lamport;
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kTimer, t.node);
    e.timer = t.serial;
    e.detail = std::to_string(tag);
    emit(e);
  }
  if (keeps_inputs()) record_input(t.node, mix64(tag ^ 0x7469'6d65'7200'0000ULL));
  // Re-armed before the handler, not after it: the handler may cancel the series (a leader that
  // steps down) or crash its node, and either then acts on the next tick like on any armed timer.
  // One event replaces the other, so an untimed world has one timer step pending, not a growing
  // set of them.
  if (periodic) rearm_timer(event.slot);
  Context ctx(*this, event.node);
  node.actor->on_timer(ctx, id, tag);
}

// --- fault sites -----------------------------------------------------------------------------

bool World::buggify_site(NodeId node, double probability, const CodeSite& site) {
  if (!options_.buggify) return false;
  std::string key = std::string(site.file) + ":" + std::to_string(site.line);
  auto it = buggify_sites_.find(key);
  if (it == buggify_sites_.end()) {
    bool enabled = Probability::from_double(options_.buggify_site_probability)
                       .happens(*choices_, buggify_stream_);
    it = buggify_sites_.emplace(key, enabled).first;
  }
  if (!it->second || !Probability::from_double(probability).happens(*choices_, buggify_stream_)) {
    return false;
  }
  if (tracing()) {
    TraceEvent e = make_trace(TraceKind::kBuggify, node);
    e.detail = key;
    emit(e);
  }
  return true;
}

// --- trace ---------------------------------------------------------------------------------

TraceEvent World::make_trace(TraceKind kind, NodeId node) {
  TraceEvent e;
  e.at = now_;
  e.kind = kind;
  e.node = node;
  if (node != kNoNode) {
    e.local = monotonic(node);
    e.wall = wall(node);
    e.lamport = nodes_[node].lamport;
  }
  return e;
}

void World::emit(TraceEvent& event) {
  if (!configuration_traced_) {
    configuration_traced_ = true;
    trace_configuration();
  }
  event.index = trace_index_++;
  trace_->record(event);
}

void World::trace_configuration() {
  nlohmann::json clocks = nlohmann::json::object();
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    clocks[names_[id]] = {{"drift_ppm", nodes_[id].base_drift.ppm},
                          {"offset", nodes_[id].base_offset.ns()}};
  }
  TraceEvent e = make_trace(TraceKind::kConfig, kNoNode);
  e.data = {{"clocks", std::move(clocks)}, {"network", network_json(options_.network, names_)}};
  emit(e);
}

void World::trace_operation(NodeId node, nlohmann::json data) {
  if (!tracing()) return;
  TraceEvent e = make_trace(TraceKind::kOperation, node);
  e.data = std::move(data);
  emit(e);
}

void World::note(NodeId node, std::string text) {
  if (!tracing()) return;
  TraceEvent e = make_trace(TraceKind::kNote, node);
  e.detail = std::move(text);
  emit(e);
}

// --- Context -------------------------------------------------------------------------------

const std::string& Context::name() const {
  return world_->names_[self_];
}
const std::string& Context::name_of(NodeId node) const {
  return world_->names_[node];
}
NodeId Context::node_named(std::string_view name) const {
  auto id = world_->find_node(name);
  assert(id && "no node with that name");
  return *id;
}
size_t Context::node_count() const {
  return world_->nodes_.size();
}
LocalTime Context::now() const {
  const LocalTime reading = world_->monotonic(self_);
  // A node that reads its clock may act on the reading: it is one of its inputs.
  if (world_->keeps_inputs()) world_->record_input(self_, world_->reading_input(reading));
  return reading;
}
LocalTime Context::wall_now() const {
  const LocalTime reading = world_->wall(self_);
  if (world_->keeps_inputs()) world_->record_input(self_, ~world_->reading_input(reading));
  return reading;
}
TrueTime Context::observer_time() const {
  return world_->now_;
}
Storage& Context::storage() {
  return world_->nodes_[self_].storage;
}

void Context::send(NodeId to, Payload payload) {
  world_->send_message(self_, to, std::move(payload), 0, false);
}
void Context::send_call(NodeId to, Payload payload, uint64_t call_id) {
  world_->send_message(self_, to, std::move(payload), call_id, false);
}
void Context::reply(const Message& request, Payload payload) {
  world_->send_message(self_, request.from, std::move(payload), request.call_id, true);
}

uint64_t Context::new_call_id() {
  // Untimed worlds number calls per node, so that the ids a node hands out do not depend on
  // what other nodes did meanwhile (independent steps then reach the same fingerprint).
  if (world_->keeps_inputs()) return (uint64_t{self_} + 1) << 40 | ++world_->nodes_[self_].calls;
  return world_->next_call_id_++;
}

TimerId Context::set_timer(Duration after, uint64_t tag) {
  return world_->arm_timer(self_, after, tag);
}
TimerId Context::every(Duration period, uint64_t tag) {
  assert(period > Duration{} && "a periodic timer's period is positive");
  // Never zero, even without asserts: a timer due again at the instant it fired would never let
  // time move on.
  period = std::max(period, nanoseconds(1));
  return world_->arm_timer(self_, period, tag, period);
}
void Context::cancel_timer(TimerId id) {
  world_->disarm_timer(id);
}

uint64_t Context::random(uint64_t bound) {
  // With the seed, the bounds drawn so far fix the stream's state: a fingerprint's word for it.
  if (world_->untimed()) {
    uint64_t& draws = world_->nodes_[self_].draws;
    draws = mix64(draws ^ mix64(bound));
  }
  return world_->choices_->draw(world_->nodes_[self_].stream, bound);
}

Duration Context::random_duration(Duration lo, Duration hi) {
  assert(lo <= hi);
  uint64_t span = static_cast<uint64_t>((hi - lo).ns()) + 1;
  return lo + Duration::nanoseconds(static_cast<int64_t>(random(span)));
}

bool Context::buggify(double probability, const char* file, int line) {
  CodeSite site{file, line};
  return world_->buggify_site(self_, probability, site);
}

void Context::crash_after_handler(Duration restart_after) {
  // Faults due now run after the current event (a crash cannot cut a handler in two); a crash
  // from outside in the meantime makes this one a no-op, and the restart then ends that downtime.
  world_->schedule_fault(Fault{.kind = Fault::Kind::kCrash, .at = world_->now(), .node = self_});
  world_->schedule_fault(
      Fault{.kind = Fault::Kind::kRestart, .at = world_->now() + restart_after, .node = self_});
}

void Context::note(std::string text) {
  world_->note(self_, std::move(text));
}

}  // namespace faultline::sim
