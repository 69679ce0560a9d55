#include "cli/check_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "checkers/history_formats.hpp"
#include "checkers/input_error.hpp"
#include "checkers/linearizability.hpp"
#include "checkers/linearizability_picture.hpp"
#include "checkers/models/registry.hpp"
#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "run/output_file.hpp"

namespace faultline::cli {

namespace {

using namespace faultline::checkers;

// A check with no --timeout gives up after this long (verdict unknown, exit 4).
constexpr std::chrono::nanoseconds kDefaultTimeout = std::chrono::minutes(10);

struct CheckFlags {
  std::string model;
  std::string format = "auto";
  bool json = false;
  std::string timeout;
  std::string max_memory;
  std::string html;
  unsigned threads = 0;
  bool no_partition = false;
  bool independent = false;
  std::string file;
};

// Durations up to 100 days, as nanoseconds.
std::optional<std::chrono::nanoseconds> parse_duration(const std::string& text) {
  static const std::pair<const char*, double> units[] = {{"ns", 1},  {"us", 1e3}, {"ms", 1e6},
                                                         {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  auto ns = parse_with_unit(text, units, 100 * 86400e9);
  if (!ns) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(*ns));
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
  if (!format) return usage_error("--format", "auto, jsonl, edn or etcd", flags.format);
  if (flags.threads > 1024) {
    return usage_error("--threads", "at most 1024", std::to_string(flags.threads));
  }
  CheckOptions options;
  options.threads = flags.threads;
  options.partition = !flags.no_partition;
  options.independent = flags.independent;
  options.describe_states = !flags.html.empty();  // the picture shows them
  options.timeout = kDefaultTimeout;
  options.max_memory_bytes = default_max_memory();
  if (flags.timeout == "none") {
    options.timeout = std::chrono::nanoseconds(0);
  } else if (!flags.timeout.empty()) {
    auto timeout = parse_duration(flags.timeout);
    if (!timeout) {
      return usage_error("--timeout", "a positive duration like 10s or 500ms, or none",
                         flags.timeout);
    }
    options.timeout = *timeout;
  }
  if (flags.max_memory == "none") {
    options.max_memory_bytes = 0;
  } else if (!flags.max_memory.empty()) {
    auto bytes = parse_bytes(flags.max_memory);
    if (!bytes) {
      return usage_error("--max-memory", "a positive size like 2GiB or 512MiB, or none",
                         flags.max_memory);
    }
    options.max_memory_bytes = *bytes;
  }

  // Before the search, so that a bad --html fails at once; the page is written whole or not at all.
  std::optional<run::OutputFile> html;
  if (!flags.html.empty()) html.emplace(flags.html, "--html");

  History history = read_history_file(flags.file, *format);
  std::vector<CallReturn> calls = pair_calls(history);
  CheckResult result = model->check(calls, options, history.source);

  // A run's history names its clients ("client1"); other histories are shown by process number.
  ProcessNamer process_name;
  if (!history.process_names.empty()) {
    process_name = [&history](std::int64_t process) { return process_label(history, process); };
  }
  if (flags.json) {
    nlohmann::json out = to_json(result, process_name);
    out["file"] = flags.file;
    std::cout << out.dump(2) << "\n";
  } else {
    write_text(std::cout, result, calls, process_name);
  }
  if (html) {
    PictureOptions picture;
    picture.title = flags.file;
    picture.timed = history.timed;
    picture.process_name = process_name;
    write_linearizability_page(html->stream(), calls, result, picture);
    html->commit();
  }
  switch (result.verdict) {
    case Verdict::ok:
      return kExitOk;
    case Verdict::illegal:
      return kExitViolation;
    case Verdict::unknown:
      return kExitUnknown;
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
  cmd->add_option("--format", flags->format, "auto (default), jsonl, edn or etcd");
  cmd->add_flag("--json", flags->json, "print the verdict as JSON");
  cmd->add_option("--timeout", flags->timeout,
                  "give up with verdict unknown after this, e.g. 10s (default 10m; none)");
  cmd->add_option("--max-memory", flags->max_memory,
                  "give up with verdict unknown past this much search memory, e.g. 2GiB "
                  "(default: half the physical memory, at most 2GiB; none)");
  cmd->add_flag("--independent", flags->independent,
                "values are Jepsen independent [key, v] tuples: check each key apart");
  cmd->add_option("--html", flags->html,
                  "write a picture of the history and its linearization as HTML to this file");
  cmd->add_option("--threads", flags->threads, "threads for partitions (default: one per core)");
  cmd->add_flag("--no-partition", flags->no_partition,
                "search keyed models as one whole map (slower; for comparison)");
  cmd->add_option("FILE", flags->file, "the history")->required();
  cmd->callback([flags, &exit_code] { exit_code = run_check(*flags); });
}

}  // namespace faultline::cli
