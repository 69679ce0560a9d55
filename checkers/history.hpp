#pragma once

// Jepsen-style histories: the input of every checker in this folder.
//
// A history is the sequence of events clients observed: each operation appears once when it is
// invoked and once when it completes. The completion says what we know about its effect:
//   ok   - it took effect exactly once, somewhere between invoke and completion;
//   fail - it certainly did not take effect (we drop it);
//   info - unknown: it may have taken effect at any time after its invoke, or never. Its return is
//          therefore +infinity: it stays concurrent with everything that follows.
// An invoke with no completion at all is read as info (the client crashed or the run ended).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/format_ns.hpp"

namespace faultline::checkers {

enum class OpType : std::uint8_t { invoke, ok, fail, info };

const char* to_string(OpType type);

// One event of a history. Time is true time in nanoseconds (or, for logs without clocks, the
// event's position in the log: only the order matters to the checker).
struct Operation {
  std::int64_t process = 0;
  OpType type = OpType::invoke;
  std::string f;
  nlohmann::json value;
  std::int64_t time_ns = 0;
  std::size_t line = 0;  // 1-based line in the source file; 0 when built in memory
};

struct History {
  std::string source;  // file name, for error messages
  std::vector<Operation> ops;
  // Whether time_ns is a time (ns) or only the event's position in the log, for pictures' axes.
  bool timed = false;
  // Who each process is, from the optional "node" field a run writes ("client1"): reports name
  // processes by it. Processes without one are shown by number.
  std::map<std::int64_t, std::string> process_names;
};

// How a report shows a process without a name: "process 3".
std::string numbered_process(std::int64_t process);

// The name a report gives a process: its node name when the history carries one, else
// numbered_process.
std::string process_label(const History& history, std::int64_t process);

// kNever (base/format_ns.hpp) is the return time of an operation whose outcome is unknown.

// An invoke paired with its completion: the unit the linearizability checker orders.
struct CallReturn {
  std::size_t id = 0;  // position in the paired list, stable for reports
  std::int64_t process = 0;
  std::string f;
  nlohmann::json input;       // the invoke's value
  nlohmann::json output;      // the completion's value; null when unknown
  bool output_known = false;  // false for info / never completed
  std::int64_t call = 0;      // invoke time
  std::int64_t ret = kNever;  // completion time, kNever when unknown
  std::size_t call_line = 0;
  std::size_t ret_line = 0;
};

// An integer that fits int64, or nullopt. json keeps integers past 2^63-1 as unsigned: reading
// those with get<int64_t>() would wrap 2^64-1 to -1.
std::optional<std::int64_t> json_int64(const nlohmann::json& v);

// Pairs invokes with completions per process, drops failed operations, and turns info (or a
// missing completion) into an operation that returns at kNever. Throws InputError on a
// completion without an invoke, a second invoke while one is open, a completion whose f differs
// from its invoke's, or time running backwards within an operation.
std::vector<CallReturn> pair_calls(const History& history);

}  // namespace faultline::checkers
