// `faultline audit TRACE`: checks the kernel's laws on every record of a trace file
// (reports/trace_audit.hpp), from the trace alone. Exit 0 when every law holds, 1 with the
// records that break one, 2 when the file is not a trace.
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "reports/trace_audit.hpp"
#include "reports/trace_jsonl.hpp"
#include "run/json_input.hpp"

namespace faultline::cli {

namespace {

struct AuditOptions {
  std::string trace;
  size_t max_findings = 20;
};

std::string plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

int audit(const AuditOptions& options) {
  std::ifstream in = run::open_input_file(options.trace, "a trace file (JSON Lines)");
  reports::TraceAuditor auditor(options.max_findings);
  reports::read_trace_jsonl(in, options.trace,
                            [&](const reports::TraceRecord& r) { auditor.add(r); });
  auditor.finish();
  const reports::AuditCounts& c = auditor.counts();
  std::cout << "faultline audit: " << options.trace << ": "
            << plural(c.records, "record", "records") << ", " << plural(c.nodes, "node", "nodes")
            << ", " << plural(c.sends, "send", "sends") << " (" << c.deliveries << " delivered, "
            << c.drops << " dropped, " << c.in_flight << " in flight at the end), "
            << plural(c.timers_fired, "timer fired", "timers fired") << ", "
            << plural(c.faults, "fault", "faults") << "\n";
  if (c.findings == 0) {
    std::cout << "laws hold: order, node-state, clock, timer, message, partition, lamport\n";
    return kExitOk;
  }
  std::cout << "AUDIT FAILED: " << plural(c.findings, "record breaks", "records break")
            << " a law of the kernel\n";
  for (const reports::AuditFinding& f : auditor.findings()) {
    std::cout << "  record " << f.index << " [" << f.law << "] " << f.message << "\n";
  }
  if (c.findings > auditor.findings().size()) {
    std::cout << "  ... and " << c.findings - auditor.findings().size()
              << " more (--max-findings)\n";
  }
  return kExitViolation;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* cmd = app.add_subcommand(
      "audit", "Check the kernel's laws on every record of a trace file (trace.jsonl)");
  cmd->add_option("trace", options->trace, "Trace file written by run, replay or shrink")
      ->required();
  cmd->add_option("--max-findings", options->max_findings, "Records listed at most")
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  cmd->callback([options, &exit_code] { exit_code = audit(*options); });
}

}  // namespace faultline::cli
