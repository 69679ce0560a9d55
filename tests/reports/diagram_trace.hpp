#pragma once
// Hand-built traces for the diagram tests: records at whole milliseconds, numbered in order.

#include <cstdint>
#include <string>
#include <vector>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports::testing {

constexpr int64_t kMs = 1000000;

struct DiagramTrace {
  std::vector<TraceRecord> records;
  // A record at `ms`; `type` (if any) becomes the payload {"type": type}.
  TraceRecord& add(int64_t ms, sim::TraceKind kind, const std::string& node,
                   const std::string& peer = "", uint64_t msg = 0, const std::string& type = "") {
    TraceRecord r;
    r.index = records.size();
    r.at_ns = ms * kMs;
    r.kind = kind;
    r.node = node;
    r.peer = peer;
    r.message_id = msg;
    if (!type.empty()) r.data = {{"type", type}};
    records.push_back(r);
    return records.back();
  }
};

}  // namespace faultline::reports::testing
