#include "reports/fault_spans.hpp"

#include <algorithm>
#include <map>

#include "base/format_ns.hpp"

namespace faultline::reports {

namespace {

using sim::TraceKind;

// A partition's id and whether it stacks on those in force, as sim::World::partition records
// them in the record's data. A record without them (an older or hand-written trace) replaces
// every partition in force, as a partition without `stacks` does.
struct PartitionKey {
  int64_t id = 0;
  bool stacks = false;
};

PartitionKey partition_key(const nlohmann::json& data) {
  PartitionKey key;
  if (!data.is_object()) return key;
  auto id = data.find("id");
  if (id != data.end() && id->is_number_integer()) key.id = id->get<int64_t>();
  auto stacks = data.find("stacks");
  key.stacks = stacks != data.end() && stacks->is_boolean() && stacks->get<bool>();
  return key;
}

}  // namespace

std::vector<FaultSpan> fault_spans(const std::vector<TraceRecord>& records) {
  std::vector<FaultSpan> spans;
  std::map<std::string, size_t> paused, down;  // node -> its open span in `spans`
  std::map<int64_t, size_t> partitions;        // partition id -> its open span
  auto close = [&](size_t span, size_t at) {
    spans[span].end = at;
    spans[span].end_ns = records[at].at_ns;
  };
  auto close_node = [&](std::map<std::string, size_t>& open, const std::string& node, size_t at) {
    auto it = open.find(node);
    if (it == open.end()) return;
    close(it->second, at);
    open.erase(it);
  };
  auto begin = [&](FaultSpan::Kind kind, const std::string& node, size_t at) {
    FaultSpan span;
    span.kind = kind;
    span.node = node;
    span.start = at;
    span.start_ns = records[at].at_ns;
    spans.push_back(span);
    return spans.size() - 1;
  };

  for (size_t p = 0; p < records.size(); ++p) {
    const TraceRecord& r = records[p];
    switch (r.kind) {
      case TraceKind::kPause:
        if (!paused.count(r.node) && !down.count(r.node)) {
          paused[r.node] = begin(FaultSpan::Kind::kPause, r.node, p);
        }
        break;
      case TraceKind::kResume:
        close_node(paused, r.node, p);
        break;
      case TraceKind::kCrash:
        // A crash ends a pause: what was paused is now down.
        close_node(paused, r.node, p);
        if (!down.count(r.node)) down[r.node] = begin(FaultSpan::Kind::kDown, r.node, p);
        break;
      case TraceKind::kStart:
      case TraceKind::kRestart:
        close_node(paused, r.node, p);
        close_node(down, r.node, p);
        break;
      case TraceKind::kPartition: {
        const PartitionKey key = partition_key(r.data);
        if (!key.stacks) {
          for (const auto& entry : partitions) close(entry.second, p);
          partitions.clear();
        } else if (auto it = partitions.find(key.id); it != partitions.end()) {
          close(it->second, p);
          partitions.erase(it);
        }
        const size_t span = begin(FaultSpan::Kind::kPartition, "", p);
        spans[span].sides = r.detail;
        partitions[key.id] = span;
        break;
      }
      case TraceKind::kHeal: {
        const PartitionKey key = partition_key(r.data);
        auto it = partitions.find(key.id);
        if (key.id != 0 && it != partitions.end()) {
          close(it->second, p);
          partitions.erase(it);
        } else if (key.id == 0) {
          for (const auto& entry : partitions) close(entry.second, p);
          partitions.clear();
        }
        break;
      }
      default:
        break;
    }
  }
  return spans;
}

namespace {

const char* open_text(FaultSpan::Kind kind) {
  switch (kind) {
    case FaultSpan::Kind::kPause:
      return ", not resumed";
    case FaultSpan::Kind::kDown:
      return ", not restarted";
    case FaultSpan::Kind::kPartition:
      return ", not healed";
  }
  return "";
}

}  // namespace

std::string span_length(const FaultSpan& span, int64_t until_ns) {
  const int64_t end = span.open() ? std::max(until_ns, span.start_ns) : span.end_ns;
  return format_ns(end - span.start_ns) + (span.open() ? open_text(span.kind) : "");
}

std::string span_label(const FaultSpan& span, int64_t until_ns) {
  const std::string length = span_length(span, until_ns);
  switch (span.kind) {
    case FaultSpan::Kind::kPause:
      return "paused " + length;
    case FaultSpan::Kind::kDown:
      return "down " + length;
    case FaultSpan::Kind::kPartition:
      return "partition " + (span.sides.empty() ? std::string() : span.sides + "  ") + length;
  }
  return length;
}

}  // namespace faultline::reports
