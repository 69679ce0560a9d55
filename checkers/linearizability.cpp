#include "checkers/linearizability.hpp"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "base/format_ns.hpp"
#include "checkers/linearizability_search.hpp"

namespace faultline::checkers {

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok:
      return "ok";
    case Verdict::illegal:
      return "illegal";
    case Verdict::unknown:
      return "unknown";
  }
  return "?";
}

namespace detail {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

ZeroedBlock::ZeroedBlock(std::size_t bytes) : bytes_(bytes) {
#if defined(__linux__)
  if (bytes >= kHugePage / 2) {
    // Round to whole huge pages and align the start to one, so THP can back all of it.
    bytes_ = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    std::size_t span = bytes_ + kHugePage;
    void* p = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    auto base = reinterpret_cast<std::uintptr_t>(p);
    std::uintptr_t aligned = (base + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > base) munmap(p, aligned - base);
    std::size_t tail = base + span - (aligned + bytes_);
    if (tail > 0) munmap(reinterpret_cast<void*>(aligned + bytes_), tail);
    data_ = reinterpret_cast<void*>(aligned);
    madvise(data_, bytes_, MADV_HUGEPAGE);
    mapped_ = true;
    return;
  }
#endif
  data_ = std::calloc(bytes, 1);
  if (data_ == nullptr) throw std::bad_alloc();
}

void ZeroedBlock::release() {
  if (data_ == nullptr) return;
#if defined(__linux__)
  if (mapped_) {
    munmap(data_, bytes_);
    data_ = nullptr;
    return;
  }
#endif
  std::free(data_);
  data_ = nullptr;
}

}  // namespace detail

namespace {

nlohmann::json op_json(const ExplainedOp& op, const ProcessNamer& process_name) {
  nlohmann::json j = {{"id", op.id}, {"process", op.process}, {"op", op.description}};
  if (process_name) j["node"] = process_name(op.process);
  if (!op.state_after.empty()) j["state_after"] = op.state_after;
  return j;
}

}  // namespace

nlohmann::json to_json(const CheckResult& result, const ProcessNamer& process_name) {
  nlohmann::json out = {
      {"verdict", to_string(result.verdict)},
      {"model", result.model},
      {"operations", result.operations},
      {"partitions", result.partitions.size()},
      {"seconds", result.seconds},
      {"peak_memory_bytes", result.peak_memory_bytes},
  };
  out["unknown_reason"] =
      result.verdict == Verdict::unknown ? nlohmann::json(result.unknown_reason) : nullptr;
  if (result.explanation) {
    const Explanation& why = *result.explanation;
    nlohmann::json prefix = nlohmann::json::array();
    for (const ExplainedOp& op : why.prefix) prefix.push_back(op_json(op, process_name));
    out["explanation"] = {
        {"partition", why.partition},
        {"linearizable_prefix", prefix},
        {"unplaceable",
         why.unplaceable ? op_json(*why.unplaceable, process_name) : nlohmann::json(nullptr)},
        {"states", why.states},
    };
  } else {
    out["explanation"] = nullptr;
  }
  std::uint64_t steps = 0, entries = 0;
  for (const PartitionStats& p : result.partitions) {
    steps += p.steps;
    entries += p.cache_entries;
  }
  out["steps"] = steps;
  out["cache_entries"] = entries;
  return out;
}

void write_text(std::ostream& out, const CheckResult& result, const std::vector<CallReturn>& calls,
                const ProcessNamer& process_name) {
  auto who = [&](std::int64_t process) {
    return process_name ? process_name(process) : numbered_process(process);
  };
  out << to_string(result.verdict);
  if (result.verdict == Verdict::unknown) out << " (" << result.unknown_reason << ")";
  out << ": " << result.model << ", " << result.operations << " operations in "
      << result.partitions.size() << " partition" << (result.partitions.size() == 1 ? "" : "s")
      << "\n";
  if (!result.explanation) return;
  const Explanation& why = *result.explanation;
  auto lines = [&](std::size_t id) {
    const CallReturn& c = calls.at(id);
    std::string s = "line " + std::to_string(c.call_line);
    if (c.ret == kNever) return s + "-, never returned";
    return s + "-" + std::to_string(c.ret_line);
  };
  if (!why.partition.empty()) out << "partition (key) " << why.partition << "\n";
  out << "longest linearizable prefix (" << why.prefix.size() << " operations):\n";
  for (std::size_t i = 0; i < why.prefix.size(); ++i) {
    const ExplainedOp& op = why.prefix[i];
    out << "  " << i + 1 << ". " << who(op.process) << ": " << op.description << "  ("
        << lines(op.id) << ")\n";
  }
  if (why.unplaceable) {
    const ExplainedOp& op = *why.unplaceable;
    out << "cannot be placed next: " << who(op.process) << ": " << op.description << "  ("
        << lines(op.id) << ")\n";
  }
  out << "model state" << (why.states.size() == 1 ? "" : "s") << " after the prefix:";
  for (const std::string& s : why.states) out << " " << s;
  out << "\n";
}

}  // namespace faultline::checkers
