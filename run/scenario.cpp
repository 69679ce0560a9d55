#include "run/scenario.hpp"

#include "protocols/params.hpp"
#include "run/json_input.hpp"

namespace faultline::run {

using protocols::Fields;
using protocols::ScenarioError;

namespace {

constexpr int64_t kMaxDriftPpm = 500'000;  // a clock running 50% fast or slow is already absurd
// A clock's configured offset and the nemesis's largest jump: a year either way (docs/limits.md).
const sim::Duration kMaxClockShift = sim::seconds(86400 * 365);
// One clock jump of the timeline: twice the most a wall offset can be, so that every jump the
// kernel logs (the nemesis's heal steps back by the whole offset) loads again from a fault timeline
// written as a scenario. Jumps add up past it; the kernel saturates their sum (sim/clock.hpp).
const sim::Duration kMaxClockJump = sim::NodeClock::kMaxWallOffset * 2;

sim::LatencyModel read_latency(Fields f) {
  sim::LatencyModel m;
  std::string shape = f.choice("shape", {"constant", "uniform", "exponential"}, "uniform");
  m.shape = shape == "constant"      ? sim::LatencyModel::Shape::kConstant
            : shape == "exponential" ? sim::LatencyModel::Shape::kExponential
                                     : sim::LatencyModel::Shape::kUniform;
  const sim::Duration hour = sim::seconds(3600);
  m.min = f.duration("min", m.min, sim::Duration{}, hour);
  m.max = f.duration("max", std::max(m.max, m.min), sim::Duration{}, hour);
  m.mean = f.duration("mean", m.mean, sim::Duration{}, hour);
  if (m.max < m.min)
    f.fail("max", "a duration no shorter than min (" + sim::format_duration(m.min) + ")");
  f.finish();
  return m;
}

std::vector<NameRef> read_names(Fields& f, const std::string& key);

// A link's `loss` or `duplicate`, when given.
std::optional<sim::Probability> read_probability(Fields& f, const std::string& key) {
  if (!f.raw(key)) return std::nullopt;  // raw, not has: an unknown-field error names it known
  return sim::Probability::from_double(f.number(key, 0, 0, 1));
}

// The settings of a link entry, or of a `network` fault that names links: given ones only, the
// rest kept from the world's. Finishes `f`: the caller reads its other fields first.
void read_link_settings(Fields& f, sim::LinkOverride& link) {
  if (f.raw("latency")) link.latency = read_latency(f.object("latency"));
  link.loss = read_probability(f, "loss");
  link.duplicate = read_probability(f, "duplicate");
  // After the unknown keys: a setting no link has (fifo) is named as such, not as a missing one.
  f.finish();
  if (!link.latency && !link.loss && !link.duplicate)
    f.fail("latency", "at least one of latency, loss, duplicate (what the link does differently)");
}

std::vector<NameRef> read_link_end(Fields& f, const std::string& key) {
  std::vector<NameRef> names = read_names(f, key);
  if (names.empty()) f.fail(key, "a non-empty array of node names");
  return names;
}

sim::LinkOverride read_link(Fields f, LinkNames& names) {
  sim::LinkOverride link;
  names.from = read_link_end(f, "from");
  names.to = read_link_end(f, "to");
  link.both_ways = f.boolean("both_ways", false);
  read_link_settings(f, link);
  return link;
}

// `base` and `names` (its links' node names) are what fields not given keep; `links` replaces
// the base's links when given.
sim::NetworkOptions read_network(Fields f, sim::NetworkOptions base,
                                 std::vector<LinkNames>& names) {
  if (f.has("latency")) base.latency = read_latency(f.object("latency"));
  base.loss = sim::Probability::from_double(f.number("loss", base.loss.value(), 0, 1));
  base.duplicate =
      sim::Probability::from_double(f.number("duplicate", base.duplicate.value(), 0, 1));
  base.fifo_links = f.boolean("fifo", base.fifo_links);
  if (const nlohmann::json* links = f.raw("links")) {
    if (!links->is_array())
      f.fail("links", "an array of links ({\"from\": [...], \"to\": [...], ...})");
    base.links.clear();
    names.clear();
    for (size_t i = 0; i < links->size(); ++i) {
      const std::string path = f.path_of("links") + "[" + std::to_string(i) + "]";
      if (!(*links)[i].is_object())
        f.fail_at(path, "a link ({\"from\": [...], \"to\": [...], ...})", (*links)[i]);
      names.emplace_back();
      base.links.push_back(read_link(Fields((*links)[i], f.file(), path), names.back()));
    }
  }
  f.finish();
  return base;
}

NameRef read_name(Fields& f, const std::string& key) {
  NameRef ref{f.required_string(key), f.path_of(key)};
  if (ref.name.empty()) f.fail(key, "a node name");
  return ref;
}

std::vector<NameRef> read_names(Fields& f, const std::string& key) {
  std::vector<NameRef> out;
  std::vector<std::string> names = f.strings(key);
  for (size_t i = 0; i < names.size(); ++i) {
    out.push_back({names[i], f.path_of(key) + "[" + std::to_string(i) + "]"});
  }
  return out;
}

std::vector<std::vector<NameRef>> read_groups(Fields& f, const std::string& key, size_t count) {
  const nlohmann::json* raw = f.raw(key);
  std::string expected = "an array of " + std::to_string(count) + " arrays of node names";
  if (!raw || !raw->is_array() || (count && raw->size() != count) || raw->empty()) {
    f.fail(key, count ? expected : "an array of arrays of node names");
  }
  std::vector<std::vector<NameRef>> groups;
  for (size_t g = 0; g < raw->size(); ++g) {
    const nlohmann::json& group = (*raw)[g];
    std::string path = f.path_of(key) + "[" + std::to_string(g) + "]";
    if (!group.is_array() || group.empty())
      f.fail_at(path, "a non-empty array of node names", group);
    groups.emplace_back();
    for (size_t i = 0; i < group.size(); ++i) {
      std::string at = path + "[" + std::to_string(i) + "]";
      if (!group[i].is_string()) f.fail_at(at, "a node name", group[i]);
      groups.back().push_back({group[i].get<std::string>(), at});
    }
  }
  return groups;
}

// A fault's `when` (docs/scenarios.md "Faults triggered by events").
TriggerSpec read_trigger(Fields w) {
  TriggerSpec spec;
  sim::FaultTrigger& t = spec.trigger;
  const std::string on = w.string("on", "");
  if (on != "send" && on != "deliver") w.fail("on", "\"send\" or \"deliver\"");
  t.on = on == "send" ? sim::FaultTrigger::On::kSend : sim::FaultTrigger::On::kDeliver;
  if (w.has("type")) {
    t.type = w.required_string("type");
    if (t.type.empty()) w.fail("type", "a message type name like \"Granted\"");
  }
  if (w.has("node")) spec.node = read_name(w, "node");
  if (w.has("peer")) spec.peer = read_name(w, "peer");
  t.nth = static_cast<uint32_t>(w.integer("nth", 1, 1, 1000000000));
  w.finish();
  return spec;
}

FaultSpec read_fault(Fields f, const sim::NetworkOptions& network,
                     const std::vector<LinkNames>& link_names) {
  using Kind = sim::Fault::Kind;
  FaultSpec spec;
  spec.path = f.path();
  if (f.has("at") && f.has("when")) f.fail("when", "either \"at\" or \"when\", not both");
  if (f.has("when")) {
    spec.when = read_trigger(f.object("when"));
    spec.when->trigger.after = f.duration("after", {}, sim::Duration{});
    spec.when->trigger.label = spec.path;
  } else {
    spec.fault.at = sim::TrueTime{} + f.duration("at", sim::Duration{}, sim::Duration{});
    if (!f.has("at"))
      f.fail("at", "a duration like \"150ms\" (when the fault happens), or a \"when\" trigger");
    if (f.has("after")) f.fail("after", "no delay without a \"when\" trigger (\"at\" says when)");
  }
  std::string kind = f.choice("kind",
                              {"crash", "restart", "pause", "resume", "partition", "heal",
                               "clock-jump", "clock-drift", "network", "drop"},
                              "");
  auto lasts = [&] {
    if (f.has("for")) spec.lasts = f.duration("for", {}, sim::nanoseconds(1));
  };
  if (kind == "crash") {
    spec.fault.kind = Kind::kCrash;
    spec.node = read_name(f, "node");
    spec.fault.wipe_storage = f.boolean("wipe_storage", false);
    if (f.has("restart_after")) spec.lasts = f.duration("restart_after", {}, sim::nanoseconds(1));
  } else if (kind == "restart" || kind == "resume") {
    spec.fault.kind = kind == "restart" ? Kind::kRestart : Kind::kResume;
    spec.node = read_name(f, "node");
  } else if (kind == "pause") {
    spec.fault.kind = Kind::kPause;
    spec.node = read_name(f, "node");
    lasts();
  } else if (kind == "partition") {
    using Mode = sim::PartitionSpec::Mode;
    spec.fault.kind = Kind::kPartition;
    std::string mode =
        f.choice("mode", {"split", "one-way", "isolate", "bridge", "majority-minority"}, "split");
    if (mode == "split") {
      spec.fault.partition.mode = Mode::kSplit;
      spec.groups = read_groups(f, "groups", 0);
      if (spec.groups.size() < 2) f.fail("groups", "at least two groups of node names");
    } else if (mode == "one-way") {
      spec.fault.partition.mode = Mode::kOneWay;
      spec.groups = {read_names(f, "from"), read_names(f, "to")};
      if (spec.groups[0].empty()) f.fail("from", "a non-empty array of node names");
      if (spec.groups[1].empty()) f.fail("to", "a non-empty array of node names");
    } else if (mode == "isolate") {
      spec.fault.partition.mode = Mode::kIsolate;
      spec.groups = {read_names(f, "nodes")};
      if (spec.groups[0].empty()) f.fail("nodes", "a non-empty array of node names");
    } else if (mode == "bridge") {
      spec.fault.partition.mode = Mode::kBridge;
      spec.groups = read_groups(f, "groups", 2);
      spec.groups.push_back({read_name(f, "bridge")});
    } else {
      spec.fault.partition.mode = Mode::kMajorityMinority;
      spec.groups = {read_names(f, "nodes")};
      if (spec.groups[0].size() < 2) f.fail("nodes", "an array of at least two node names");
    }
    // With an id, it stacks on the partitions in force, and a heal naming it ends it alone.
    spec.fault.partition_id = static_cast<sim::PartitionId>(f.integer("id", 0, 0, 1000000000));
    spec.fault.stacks = spec.fault.partition_id != 0;
    lasts();
  } else if (kind == "heal") {
    spec.fault.kind = Kind::kHeal;
    spec.fault.partition_id =
        static_cast<sim::PartitionId>(f.integer("partition", 0, 0, 1000000000));
  } else if (kind == "clock-jump") {
    spec.fault.kind = Kind::kClockJump;
    spec.node = read_name(f, "node");
    if (!f.has("by")) f.fail("by", "a duration like \"-5s\" (how far the wall clock jumps)");
    spec.fault.amount = f.duration("by", {}, -kMaxClockJump, kMaxClockJump);
  } else if (kind == "clock-drift") {
    spec.fault.kind = Kind::kClockDrift;
    spec.node = read_name(f, "node");
    if (!f.has("drift_ppm")) f.fail("drift_ppm", "an integer rate error in parts per million");
    spec.fault.drift.ppm = f.integer("drift_ppm", 0, -kMaxDriftPpm, kMaxDriftPpm);
  } else if (kind == "network") {
    spec.fault.kind = Kind::kNetwork;
    Fields settings = f.object("set");
    if (!f.has("set")) f.fail("set", "an object of network settings (loss, duplicate, latency)");
    spec.link_names = link_names;
    if (f.has("from") || f.has("to")) {
      // Some links only: the scenario's network with one more links entry, the last word on them.
      LinkNames names{read_link_end(f, "from"), read_link_end(f, "to")};
      sim::LinkOverride link;
      link.both_ways = f.boolean("both_ways", false);
      read_link_settings(settings, link);
      spec.fault.network = network;
      spec.fault.network.links.push_back(std::move(link));
      spec.link_names.push_back(std::move(names));
    } else {
      spec.fault.network = read_network(settings, network, spec.link_names);
    }
    lasts();
  } else if (kind == "drop") {
    spec.fault.kind = Kind::kDrop;
    if (!spec.when) f.fail("kind", "a kind other than \"drop\" (a drop needs a \"when\" trigger)");
    if (spec.when->trigger.after != sim::Duration{})
      f.fail("after", "no delay for a drop (it loses the message that fired its trigger)");
  } else {
    f.fail("kind",
           "one of crash, restart, pause, resume, partition, heal, clock-jump, "
           "clock-drift, network, drop");
  }
  f.finish();
  return spec;
}

NemesisSpec read_nemesis(Fields f, sim::Duration duration) {
  using Kind = sim::NemesisOptions::Kind;
  NemesisSpec spec;
  sim::NemesisOptions& n = spec.options;
  const std::vector<std::pair<std::string, Kind>> kinds = {{"partition", Kind::kPartition},
                                                           {"crash", Kind::kCrash},
                                                           {"pause", Kind::kPause},
                                                           {"clock-jump", Kind::kClockJump},
                                                           {"clock-drift", Kind::kClockDrift},
                                                           {"loss-burst", Kind::kLossBurst}};
  std::vector<std::string> names = f.strings("kinds");
  if (names.empty()) f.fail("kinds", "a non-empty array of fault kinds");
  for (size_t i = 0; i < names.size(); ++i) {
    auto it =
        std::find_if(kinds.begin(), kinds.end(), [&](auto& k) { return k.first == names[i]; });
    if (it == kinds.end()) {
      f.fail_at(f.path_of("kinds") + "[" + std::to_string(i) + "]",
                "one of partition, crash, pause, clock-jump, clock-drift, loss-burst", names[i]);
    }
    n.kinds.push_back(it->second);
  }
  spec.targets = read_names(f, "targets");
  n.start = sim::TrueTime{} + f.duration("start", sim::Duration{});
  n.stop = sim::TrueTime{} + f.duration("stop", duration);
  if (n.stop <= n.start) f.fail("stop", "a time after start");
  n.interval_mean = f.duration("interval", n.interval_mean, sim::microseconds(1));
  n.fault_min = f.duration("fault_min", n.fault_min);
  n.fault_max = f.duration("fault_max", std::max(n.fault_max, n.fault_min));
  if (n.fault_max < n.fault_min) f.fail("fault_max", "a duration no shorter than fault_min");
  n.max_clock_jump =
      f.duration("max_clock_jump", n.max_clock_jump, sim::Duration{}, kMaxClockShift);
  n.max_drift_ppm = f.integer("max_drift_ppm", n.max_drift_ppm, 0, kMaxDriftPpm);
  n.burst_loss = f.number("burst_loss", n.burst_loss, 0, 1);
  n.max_down = static_cast<uint32_t>(f.integer("max_down", 0, 0, 1000000));
  n.aim_at_leader = sim::Probability::from_double(f.number("aim_at_leader", 0, 0, 1));
  n.swarm = f.boolean("swarm", false);
  f.finish();
  return spec;
}

// Integers (milliseconds, ppm), each in [min, max]: a timed search's small set of values for one
// kind of draw.
std::vector<int64_t> read_integers(Fields& f, const std::string& key, int64_t min, int64_t max) {
  std::vector<int64_t> out;
  const nlohmann::json* values = f.raw(key);
  if (!values) return out;
  if (!values->is_array() || values->size() > 16) f.fail(key, "a list of at most 16 integers");
  for (size_t i = 0; i < values->size(); ++i) {
    const nlohmann::json& v = (*values)[i];
    if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > max) {
      f.fail_at(f.path_of(key) + "[" + std::to_string(i) + "]",
                "an integer from " + std::to_string(min) + " to " + std::to_string(max), v);
    }
    out.push_back(v.get<int64_t>());
  }
  return out;
}

// The timed search's sets of values and its budget (sim::TimedBudget). Untimed fields that have
// no meaning with real clocks (drops, duplicates, timers) are refused.
void read_timed_search(Fields& f, SearchSpec& spec) {
  for (const char* untimed : {"drops", "duplicates", "timers"}) {
    if (f.has(untimed) && (*f.raw(untimed) != 0 || std::string(untimed) == "timers"))
      f.fail(untimed, "no " + std::string(untimed) + " in a timed search (untimed only)");
  }
  sim::TimedBudget& b = spec.timed_budget;
  const int64_t day = 86'400'000;
  const auto millis = [&](const char* key, int64_t min) {
    std::vector<sim::Duration> out;
    for (int64_t ms : read_integers(f, key, min, day)) out.push_back(sim::milliseconds(ms));
    return out;
  };
  b.latencies = millis("latencies_ms", 0);
  if (b.latencies.empty()) f.fail("latencies_ms", "a list of one or more latencies");
  b.pauses = millis("pauses_ms", 1);
  for (int64_t ms : read_integers(f, "jumps_ms", -day, day))
    b.jumps.push_back(sim::milliseconds(ms));
  b.drifts_ppm = read_integers(f, "drifts_ppm", sim::Drift::kMinPpm, 1'000'000);
  const auto count = [&](const char* key, bool has_values) {
    const auto n = static_cast<uint32_t>(f.integer(key, 0, 0, 1000));
    if (n != 0 && !has_values) f.fail(key, std::string("0 without a list of values for it"));
    return n;
  };
  b.pause_count = count("pauses", !b.pauses.empty());
  b.jump_count = count("jumps", !b.jumps.empty());
  b.drift_count = count("drifts", !b.drifts_ppm.empty());
  b.crashes = spec.budget.crashes;
  b.partitions = spec.budget.partitions;
}

// `search.timers` as an object: each node named with its own bound on timer firings.
std::vector<std::pair<NameRef, uint32_t>> read_node_timers(Fields f, const nlohmann::json& raw) {
  std::vector<std::pair<NameRef, uint32_t>> out;
  for (auto it = raw.begin(); it != raw.end(); ++it) {
    const std::string& name = it.key();
    const auto n = static_cast<uint32_t>(f.integer(name, 0, 0, 1000));
    out.push_back({NameRef{name, f.path_of(name)}, n});
  }
  if (out.empty()) f.fail_at(f.path(), "a number, or an object naming nodes with numbers", raw);
  f.finish();
  return out;
}

SearchSpec read_search(Fields f) {
  SearchSpec spec;
  spec.strategy = f.choice("strategy", {"bfs", "dfs", "pct"}, "bfs");
  spec.pct_depth = static_cast<uint32_t>(f.integer("depth", spec.pct_depth, 1, 20));
  spec.pct_runs = static_cast<uint64_t>(f.integer("runs", 1000, 1, 100'000'000));
  spec.max_depth = static_cast<uint32_t>(f.integer("max_depth", 0, 0, 1'000'000));
  spec.max_states = static_cast<uint64_t>(f.integer("max_states", 0, 0, int64_t{1} << 40));
  const auto budget = [&](const char* key) {
    return static_cast<uint32_t>(f.integer(key, 0, 0, 1000));
  };
  spec.budget.crashes = budget("crashes");
  spec.budget.partitions = budget("partitions");
  spec.budget.drops = budget("drops");
  spec.budget.duplicates = budget("duplicates");
  const nlohmann::json* timers = f.raw("timers");
  if (timers && timers->is_object()) {
    spec.node_timers = read_node_timers(f.object("timers"), *timers);
  } else if (timers) {
    spec.budget.timers = budget("timers");
  }
  spec.targets = read_names(f, "targets");
  spec.budget.node_states = f.choice("fingerprint", {"states", "inputs"}, "states") == "states";
  spec.timed = f.choice("time", {"untimed", "timed"}, "untimed") == "timed";
  if (spec.timed) read_timed_search(f, spec);
  f.finish();
  return spec;
}

}  // namespace

uint64_t read_seed(Fields& f, const std::string& key, uint64_t fallback) {
  const nlohmann::json* v = f.raw(key);
  if (!v) return fallback;
  // Every 64-bit seed is a seed: Fields::integer stops at INT64_MAX.
  if (!v->is_number_unsigned()) f.fail(key, "a seed from 0 to 18446744073709551615");
  return v->get<uint64_t>();
}

namespace {

std::string file_stem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

}  // namespace

Scenario parse_scenario(const std::string& file, const nlohmann::json& document) {
  Scenario s;
  s.file = file;
  s.document = document;
  Fields f(document, file, "");
  s.name = f.string("name", file_stem(file));
  s.description = f.string("description", "");
  if (document.contains("spec") && !document.contains("protocol")) {
    // A spec-level model has states, not a run: it is searched (run/spec_scenario).
    f.fail("spec", "a protocol scenario here (a spec-level model is searched: faultline explore " +
                       file + " --strategy bfs)");
  }
  s.protocol = f.required_string("protocol");
  s.variant = f.string("variant", "");
  if (const nlohmann::json* params = f.raw("params")) {
    if (!params->is_object()) f.fail("params", "an object of the protocol's parameters");
    s.params = *params;
  }
  s.seed = read_seed(f, "seed", s.seed);
  s.duration = f.duration("duration", s.duration, sim::nanoseconds(1), sim::seconds(86400 * 365));
  s.network = read_network(f.object("network"), s.network, s.link_names);
  {
    Fields storage = f.object("storage");
    s.torn_writes = storage.boolean("torn_writes", false);
    storage.finish();
  }
  s.buggify = f.boolean("buggify", false);
  {
    Fields clocks = f.object("clocks");
    if (const nlohmann::json* raw = f.raw("clocks")) {
      for (auto it = raw->begin(); it != raw->end(); ++it) {
        Fields c = clocks.object(it.key());
        ClockSpec spec;
        spec.node = {it.key(), c.path()};
        spec.drift.ppm = c.integer("drift_ppm", 0, -kMaxDriftPpm, kMaxDriftPpm);
        spec.offset = c.duration("offset", {}, -kMaxClockShift, kMaxClockShift);
        c.finish();
        s.clocks.push_back(spec);
      }
    }
    clocks.finish();
  }
  if (const nlohmann::json* faults = f.raw("faults")) {
    if (!faults->is_array()) f.fail("faults", "an array of faults");
    for (size_t i = 0; i < faults->size(); ++i) {
      s.faults.push_back(read_fault(Fields((*faults)[i], file, "faults[" + std::to_string(i) + "]"),
                                    s.network, s.link_names));
      if (!s.faults.back().when && s.faults.back().fault.at.since_epoch() > s.duration) {
        f.fail_at(s.faults.back().path + ".at",
                  "a time within the run's duration (" + sim::format_duration(s.duration) + ")",
                  (*faults)[i]["at"]);
      }
    }
  }
  if (f.raw("nemesis")) s.nemesis = read_nemesis(f.object("nemesis"), s.duration);
  if (f.raw("search")) {
    // The search injects faults at every step from its budget: a timeline or a nemesis beside
    // it would say when, which an untimed search does not know.
    if (!s.faults.empty()) f.fail("faults", "no faults in a search scenario (search's budget)");
    if (s.nemesis) f.fail("nemesis", "no nemesis in a search scenario (search's budget)");
    if (s.torn_writes) f.fail("storage", "no torn writes in a search scenario");
    if (s.buggify) f.fail("buggify", "false in a search scenario");
    s.search = read_search(f.object("search"));
  }
  s.checkers = f.strings("checkers");
  s.expect = read_expectation(f, "<checker>");
  f.finish();
  return s;
}

std::optional<Expectation> read_expectation(Fields& f, const std::string& what_fires) {
  const nlohmann::json* expect = f.raw("expect");
  if (!expect) return std::nullopt;
  Expectation e;
  if (expect->is_string() && expect->get<std::string>() == "ok") {
    e.ok = true;
  } else if (expect->is_object()) {
    Fields x = f.object("expect");
    e.ok = false;
    e.violation = x.required_string("violation");
    x.finish();
  } else {
    f.fail("expect", "\"ok\" or {\"violation\": \"" + what_fires + "\"}");
  }
  return e;
}

namespace {

// `part`, the last part of `path`, as an index of `array`: --set faults.0.at=2s changes the first
// fault. Only existing elements: appending would need the whole element, which --set 'faults=[...]'
// gives.
nlohmann::json& array_element(nlohmann::json& array, const std::string& file,
                              const std::string& path, const std::string& part) {
  const std::string name = path.substr(0, path.size() - part.size() - 1);
  const std::string expected =
      array.empty() ? "an index of " + name + ", which is empty"
                    : "an index of " + name + " from 0 to " + std::to_string(array.size() - 1);
  const bool digits = part.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || part.size() > 9 || std::stoul(part) >= array.size())
    throw ScenarioError(file, path, expected, "\"" + part + "\"");
  return array[std::stoul(part)];
}

}  // namespace

void apply_override(nlohmann::json& document, const std::string& file, const std::string& setting) {
  size_t eq = setting.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ScenarioError(file, "--set", "key=value (e.g. params.ttl=5s)", "\"" + setting + "\"");
  }
  std::string key = setting.substr(0, eq);
  std::string text = setting.substr(eq + 1);
  // Not JSON: a bare string such as 5s or unfenced.
  nlohmann::json value = parse_json_if_json(text, file, "--set " + key).value_or(text);
  nlohmann::json* at = &document;
  std::string path;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    std::string part =
        key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    path += (path.empty() ? "" : ".") + part;
    if (part.empty())
      throw ScenarioError(file, "--set " + key, "a dotted field path", "an empty part");
    if (at->is_array()) {
      at = &array_element(*at, file, path, part);
    } else {
      if (at->is_null()) *at = nlohmann::json::object();  // --set network.loss=0.1, no network
      if (!at->is_object()) {
        throw ScenarioError(file, path, "an object or an array to set a field in",
                            protocols::describe_json(*at));
      }
      at = &(*at)[part];
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  *at = value;
}

nlohmann::json load_scenario_document(const std::string& file,
                                      const std::vector<std::string>& overrides) {
  // Both end up in the summary, the tape and the report, whose JSON writer rejects invalid UTF-8.
  require_utf8(file, file, "(its file name)");
  for (const std::string& o : overrides) require_utf8(o, file, "--set");
  nlohmann::json document = read_json_file(file, "a readable scenario file");
  for (const std::string& o : overrides) apply_override(document, file, o);
  return document;
}

Scenario load_scenario(const std::string& file, const std::vector<std::string>& overrides) {
  return parse_scenario(file, load_scenario_document(file, overrides));
}

}  // namespace faultline::run
