#include "cli/check_command.hpp"

#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "checkers/history_formats.hpp"
#include "checkers/history_timeline.hpp"
#include "checkers/input_error.hpp"
#include "checkers/linearizability.hpp"
#include "checkers/models/registry.hpp"
#include "cli/commands.hpp"

namespace faultline::cli {

namespace {

using namespace faultline::checkers;

struct CheckFlags {
  std::string model;
  std::string format = "auto";
  bool json = false;
  std::string timeout;
  std::string max_memory;
  std::string html;
  unsigned threads = 0;
  bool no_partition = false;
  std::string file;
};

// "123" followed by a unit from `units`; nullopt when malformed.
template <std::size_t N>
std::optional<double> parse_with_unit(const std::string& text,
                                      const std::pair<const char*, double> (&units)[N]) {
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) return std::nullopt;
  std::string unit(end, text.data() + text.size());
  for (const auto& [name, scale] : units) {
    if (unit == name) return number * scale;
  }
  return std::nullopt;
}

std::optional<std::chrono::nanoseconds> parse_duration(const std::string& text) {
  static const std::pair<const char*, double> units[] = {{"ns", 1},  {"us", 1e3}, {"ms", 1e6},
                                                         {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  auto ns = parse_with_unit(text, units);
  if (!ns) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(*ns));
}

std::optional<std::size_t> parse_bytes(const std::string& text) {
  static const std::pair<const char*, double> units[] = {
      {"B", 1},    {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
      {"KB", 1e3}, {"MB", 1e6},     {"GB", 1e9},        {"TiB", 1099511627776.0}};
  auto bytes = parse_with_unit(text, units);
  if (!bytes) return std::nullopt;
  return static_cast<std::size_t>(*bytes);
}

int usage_error(const std::string& flag, const std::string& expected, const std::string& got) {
  std::cerr << "faultline check: " << flag << ": expected " << expected << ", got \"" << got
            << "\"\n";
  return kExitBadInput;
}

int run_check(const CheckFlags& flags) {
  const models::ModelInfo* model = models::find_model(flags.model);
  if (model == nullptr) {
    std::string names;
    for (const auto& m : models::all_models())
      names += (names.empty() ? "" : ", ") + std::string(m.name);
    return usage_error("--model", "one of " + names, flags.model);
  }
  std::optional<HistoryFormat> format = parse_history_format(flags.format);
  if (!format) return usage_error("--format", "auto, jsonl, etcd or kv-edn", flags.format);
  CheckOptions options;
  options.threads = flags.threads;
  options.partition = !flags.no_partition;
  if (!flags.timeout.empty()) {
    auto timeout = parse_duration(flags.timeout);
    if (!timeout) return usage_error("--timeout", "a duration like 10s or 500ms", flags.timeout);
    options.timeout = *timeout;
  }
  if (!flags.max_memory.empty()) {
    auto bytes = parse_bytes(flags.max_memory);
    if (!bytes) return usage_error("--max-memory", "a size like 2GiB or 512MiB", flags.max_memory);
    options.max_memory_bytes = *bytes;
  }

  History history = read_history_file(flags.file, *format);
  std::vector<CallReturn> calls = pair_calls(history);
  CheckResult result = model->check(calls, options, history.source);

  if (flags.json) {
    nlohmann::json out = to_json(result);
    out["file"] = flags.file;
    std::cout << out.dump(2) << "\n";
  } else {
    write_text(std::cout, result, calls);
  }
  if (!flags.html.empty()) {
    std::ofstream html(flags.html, std::ios::binary);
    if (!html) return usage_error("--html", "a writable file", flags.html);
    write_history_timeline(html, calls, result, flags.file);
  }
  switch (result.verdict) {
    case Verdict::ok:
      return kExitOk;
    case Verdict::illegal:
      return kExitViolation;
    case Verdict::unknown:
      return kExitInconclusive;
  }
  return kExitInternal;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Check a recorded history for linearizability against a model (docs/check.md)");
  cmd->add_option("--model", flags->model,
                  "register, cas-register, kv, counter, set, queue or mutex")
      ->required();
  cmd->add_option("--format", flags->format, "auto (default), jsonl, etcd or kv-edn");
  cmd->add_flag("--json", flags->json, "print the verdict as JSON");
  cmd->add_option("--timeout", flags->timeout, "give up with verdict unknown after this, e.g. 10s");
  cmd->add_option("--max-memory", flags->max_memory,
                  "give up with verdict unknown past this much search memory, e.g. 2GiB");
  cmd->add_option("--html", flags->html, "write a timeline of the history as HTML to this file");
  cmd->add_option("--threads", flags->threads, "threads for partitions (default: one per core)");
  cmd->add_flag("--no-partition", flags->no_partition,
                "search keyed models as one whole map (slower; for comparison)");
  cmd->add_option("FILE", flags->file, "the history")->required();
  cmd->callback([flags, &exit_code] { exit_code = run_check(*flags); });
}

}  // namespace faultline::cli
