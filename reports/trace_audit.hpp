#pragma once
// The trace auditor: checks the kernel's laws on every record of a trace, from the trace alone
// (its first record states every node's clock and the network as configured). A second,
// independent statement of what the simulator promises (docs/trace-format.md), so that a kernel
// change that breaks a law is caught by any run that exercises it, whatever the protocol:
//   order      records numbered from 0 without gaps, true time never going back
//   node-state nothing sent, handled, armed or recorded by a node that is down or paused; crashes,
//              restarts, pauses and resumes only from the states they leave
//   clock      every reading is the node's clock model: (1 + drift) * true time, plus the wall
//              offset, which only a clock jump moves
//   timer      a timer fires once, never before its deadline, at the first instant its node's
//              monotonic clock reads it (a drift change moves that instant), or at the resume if
//              that instant fell in a pause; a cancelled or crashed timer never fires
//   message    every delivery and drop follows its send between the same two nodes, after the
//              network's least latency and by its greatest, at most twice when duplication is on;
//              in send order on a FIFO link; every send ends in a delivery or a drop unless it
//              is still in flight when the trace ends
//   partition  no message is delivered over a link a partition in force cuts; a drop blamed on a
//              partition, on a node being down or on a crash happened in that state
//   lamport    a node's Lamport clock never goes back; a delivery's exceeds its send's

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reports/trace_jsonl.hpp"

namespace faultline::reports {

struct AuditFinding {
  uint64_t index = 0;  // the record that broke the law (for end-of-trace laws, the last one)
  std::string law;     // order, node-state, clock, timer, message, partition, lamport
  std::string message;
};

struct AuditCounts {
  uint64_t records = 0;
  uint64_t nodes = 0;
  uint64_t sends = 0;
  uint64_t deliveries = 0;
  uint64_t drops = 0;
  uint64_t timers_fired = 0;
  uint64_t faults = 0;     // crash, restart, pause, resume, partition, heal, clock and network
  uint64_t in_flight = 0;  // sends neither delivered nor dropped when the trace ended
  uint64_t findings = 0;   // every finding, also those beyond the kept ones
};

// Records go in one at a time, in trace order; finish() applies the laws that need the whole
// trace. Memory grows with what is open (messages in flight, armed timers), not with the trace.
class TraceAuditor {
 public:
  // Keeps at most `max_findings` findings (the count goes on).
  explicit TraceAuditor(size_t max_findings = 100);
  ~TraceAuditor();
  TraceAuditor(TraceAuditor&&) noexcept;
  TraceAuditor& operator=(TraceAuditor&&) noexcept;

  void add(const TraceRecord& record);
  void finish();

  const std::vector<AuditFinding>& findings() const;
  const AuditCounts& counts() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Audits a whole trace held in memory.
TraceAuditor audit_trace(const std::vector<TraceRecord>& records, size_t max_findings = 100);

}  // namespace faultline::reports
