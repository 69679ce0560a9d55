#pragma once

// Readers for the history formats `faultline check` accepts:
//   jsonl   one Jepsen-style operation per line, the format our simulator writes:
//           {"index": 0, "process": 1, "type": "invoke", "f": "write", "value": 3, "time": 120}
//           (time in ns, optional: all lines have it or none; without it, line order is time).
//           Operations of a non-integer process (Jepsen's "nemesis") are skipped.
//   etcd    Jepsen's 2014 etcd logs (Porcupine's test data): `INFO  jepsen.util - 3 :ok :read 4`.
//           A `:fail` cas is read as a cas that ran and saw another value (ok, value false);
//           `:info ... :timed-out` leaves the operation open; a timed-out read is dropped.
//   edn     Jepsen's history.edn: one operation map per line, or (Knossos) a vector of them:
//           {:process 0, :type :invoke, :f :cas, :value [1 2], :time 120}; :nemesis and other
//           named processes are skipped; Porcupine's kv logs give the key apart (:key "0"), and
//           their values become [key, v]. "kv-edn" is accepted as a name for it.
// Every reader throws InputError naming the file and line on malformed input.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "checkers/history.hpp"

namespace faultline::checkers {

enum class HistoryFormat { automatic, jsonl, etcd, edn };

// The largest history file read: the text and the operations parsed from it are held in memory
// (about five times the file's size), outside the search's --max-memory.
inline constexpr std::size_t kMaxHistoryBytes = std::size_t{1} << 30;

const char* to_string(HistoryFormat format);
// "auto", "jsonl", "etcd", "edn" (or "kv-edn"); nullopt otherwise.
std::optional<HistoryFormat> parse_history_format(std::string_view name);

// Looks at the first significant character (and, after a '{', the next one). Throws InputError
// if it fits no format.
HistoryFormat detect_history_format(std::string_view text, std::string_view source);

History parse_history(std::string_view text, std::string source,
                      HistoryFormat format = HistoryFormat::automatic);
// Reads a file; an unreadable file, a directory or a file past kMaxHistoryBytes is an InputError
// at line 0.
History read_history_file(const std::string& path, HistoryFormat format = HistoryFormat::automatic);

// Writes `history` in the jsonl format above, one operation per line in its order, with "time"
// when the history is timed; parse_jsonl reads it back to the same operations. `node`, when
// given, names each process's node ("client2") in a field the readers ignore, for a person.
void write_history_jsonl(std::ostream& out, const History& history,
                         const std::function<std::string(std::int64_t)>& node = {});

}  // namespace faultline::checkers
