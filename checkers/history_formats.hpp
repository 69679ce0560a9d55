#pragma once

// Readers for the history formats `faultline check` accepts:
//   jsonl   one Jepsen-style operation per line, the format our simulator writes:
//           {"index": 0, "process": 1, "type": "invoke", "f": "write", "value": 3, "time": 120}
//           (time in ns, optional: all lines have it or none; without it, line order is time).
//           Operations of a non-integer process (Jepsen's "nemesis") are skipped.
//   etcd    Jepsen's 2014 etcd logs (Porcupine's test data): `INFO  jepsen.util - 3 :ok :read 4`.
//           A `:fail` cas is read as a cas that ran and saw another value (ok, value false);
//           `:info ... :timed-out` leaves the operation open; a timed-out read is dropped.
//   kv-edn  Porcupine's EDN kv logs: {:process 0, :type :invoke, :f :append, :key "0", :value "x"};
//           values become [key, v] for the kv model.
// Every reader throws InputError naming the file and line on malformed input.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "checkers/history.hpp"

namespace faultline::checkers {

enum class HistoryFormat { automatic, jsonl, etcd, kv_edn };

const char* to_string(HistoryFormat format);
// "auto", "jsonl", "etcd", "kv-edn"; nullopt otherwise.
std::optional<HistoryFormat> parse_history_format(std::string_view name);

// Looks at the first non-blank line. Throws InputError if it fits no format.
HistoryFormat detect_history_format(std::string_view text, std::string_view source);

History parse_history(std::string_view text, std::string source,
                      HistoryFormat format = HistoryFormat::automatic);
// Reads a file; an unreadable file is an InputError at line 0.
History read_history_file(const std::string& path, HistoryFormat format = HistoryFormat::automatic);

}  // namespace faultline::checkers
