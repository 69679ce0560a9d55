// Any bytes as a trace.jsonl, read and audited as `faultline audit` does: the reader refuses what
// is not a trace with TraceFormatError; whatever it accepts, however inconsistent, the auditor
// judges without crashing.
#include <sstream>

#include "fuzz/fuzz_input.hpp"
#include "reports/trace_audit.hpp"
#include "reports/trace_jsonl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline::reports;
  std::istringstream in(faultline::fuzz::as_text(data, size));
  TraceAuditor auditor(8);
  try {
    read_trace_jsonl(in, "trace.jsonl", [&](const TraceRecord& r) { auditor.add(r); });
  } catch (const TraceFormatError&) {
  }
  auditor.finish();
  return 0;
}
