#include "run/fault_json.hpp"

#include "base/format_ns.hpp"

namespace faultline::run {
namespace {

// Exact, in the largest unit that fits ("6.479861654s"): what a person reads in a timeline.
std::string duration_text(sim::Duration d) {
  return format_ns(d.ns());
}

nlohmann::json names_of(const std::vector<sim::NodeId>& ids,
                        const std::vector<std::string>& names) {
  nlohmann::json out = nlohmann::json::array();
  for (sim::NodeId id : ids) out.push_back(names[id]);
  return out;
}

std::string_view shape_name(sim::LatencyModel::Shape shape) {
  switch (shape) {
    case sim::LatencyModel::Shape::kConstant:
      return "constant";
    case sim::LatencyModel::Shape::kExponential:
      return "exponential";
    case sim::LatencyModel::Shape::kUniform:
      return "uniform";
  }
  return "uniform";
}

void add_partition(nlohmann::json& out, const sim::PartitionSpec& spec,
                   const std::vector<std::string>& names) {
  using Mode = sim::PartitionSpec::Mode;
  const auto& g = spec.groups;
  switch (spec.mode) {
    case Mode::kSplit: {
      nlohmann::json groups = nlohmann::json::array();
      for (const auto& group : g) {
        if (!group.empty()) groups.push_back(names_of(group, names));
      }
      if (groups.size() < 2) {
        out["kind"] = "heal";
        return;
      }
      out["mode"] = "split";
      out["groups"] = groups;
      return;
    }
    case Mode::kOneWay:
      out["mode"] = "one-way";
      out["from"] = names_of(g.at(0), names);
      out["to"] = names_of(g.at(1), names);
      return;
    case Mode::kIsolate:
      out["mode"] = "isolate";
      out["nodes"] = names_of(g.at(0), names);
      return;
    case Mode::kBridge:
      out["mode"] = "bridge";
      // json::array, not a braced list: two arrays of two names would read as an object.
      out["groups"] = nlohmann::json::array({names_of(g.at(0), names), names_of(g.at(1), names)});
      out["bridge"] = names[g.at(2).at(0)];
      return;
    case Mode::kMajorityMinority:
      out["mode"] = "majority-minority";
      out["nodes"] = names_of(g.at(0), names);
      return;
  }
}

// A fault's `when`, as read_trigger (run/scenario.cpp) reads it.
nlohmann::json trigger_to_json(const sim::FaultTrigger& t, const std::vector<std::string>& names) {
  nlohmann::json out = {{"on", sim::to_string(t.on)}};
  if (!t.type.empty()) out["type"] = t.type;
  if (t.node != sim::kNoNode) out["node"] = names[t.node];
  if (t.peer != sim::kNoNode) out["peer"] = names[t.peer];
  if (t.nth != 1) out["nth"] = t.nth;
  return out;
}

}  // namespace

namespace {

nlohmann::json latency_to_json(const sim::LatencyModel& l) {
  return {{"shape", shape_name(l.shape)},
          {"min", duration_text(l.min)},
          {"mean", duration_text(l.mean)},
          {"max", duration_text(l.max)}};
}

}  // namespace

nlohmann::json network_to_json(const sim::NetworkOptions& network,
                               const std::vector<std::string>& names) {
  nlohmann::json out = {{"latency", latency_to_json(network.latency)},
                        {"loss", network.loss.value()},
                        {"duplicate", network.duplicate.value()},
                        {"fifo", network.fifo_links}};
  if (network.links.empty()) return out;
  // Every entry, the scenario's too: a `set` with `links` replaces the scenario's list.
  nlohmann::json links = nlohmann::json::array();
  for (const sim::LinkOverride& link : network.links) {
    auto ends = [&](const std::vector<sim::NodeId>& ids) {
      nlohmann::json list = nlohmann::json::array();
      for (sim::NodeId id : ids) list.push_back(sim::link_end_name(id, names));
      return list;
    };
    nlohmann::json entry = {{"from", ends(link.from)}, {"to", ends(link.to)}};
    if (link.both_ways) entry["both_ways"] = true;
    if (link.latency) entry["latency"] = latency_to_json(*link.latency);
    if (link.loss) entry["loss"] = link.loss->value();
    if (link.duplicate) entry["duplicate"] = link.duplicate->value();
    links.push_back(std::move(entry));
  }
  out["links"] = std::move(links);
  return out;
}

nlohmann::json fault_to_json(const sim::Fault& fault, const std::vector<std::string>& names) {
  using Kind = sim::Fault::Kind;
  nlohmann::json out = {{"kind", sim::to_string(fault.kind)}};
  if (fault.when) {
    out["when"] = trigger_to_json(*fault.when, names);
    if (fault.when->after != sim::Duration{}) out["after"] = duration_text(fault.when->after);
  } else {
    out["at"] = duration_text(sim::Duration::nanoseconds(fault.at.ns()));
  }
  switch (fault.kind) {
    case Kind::kCrash:
      out["node"] = names[fault.node];
      if (fault.wipe_storage) out["wipe_storage"] = true;
      break;
    case Kind::kRestart:
    case Kind::kPause:
    case Kind::kResume:
      out["node"] = names[fault.node];
      break;
    case Kind::kPartition:
      add_partition(out, fault.partition, names);
      if (fault.stacks) out["id"] = fault.partition_id;
      break;
    case Kind::kHeal:
      if (fault.partition_id != 0) out["partition"] = fault.partition_id;
      break;
    case Kind::kClockJump:
      out["node"] = names[fault.node];
      out["by"] = duration_text(fault.amount);
      break;
    case Kind::kClockDrift:
      out["node"] = names[fault.node];
      out["drift_ppm"] = fault.drift.ppm;
      break;
    case Kind::kNetwork:
      out["set"] = network_to_json(fault.network, names);
      break;
    case Kind::kDrop:
      break;  // the message that fired its `when`
  }
  return out;
}

}  // namespace faultline::run
