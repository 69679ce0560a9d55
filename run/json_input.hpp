#pragma once
// The one reader of every whole JSON document of run/ and cli/: scenarios, `--set` values and
// tapes (results files stream through run/results_reader, which keeps these rules). Bounded and
// strict (docs/limits.md): a file larger than kMaxInputBytes, a document nested deeper than
// kMaxJsonDepth, a key written twice in one object, invalid UTF-8, a number out of range or
// anything after the document is one line naming the file and the field, never a crash (a deep
// document would overflow the stack in nlohmann's recursive copy) or an internal error.

#include <cstddef>
#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::run {

// No input of ours nests deeper than a handful of levels; 64 leaves room and keeps every
// recursive walk of the value far from the stack's end.
constexpr size_t kMaxJsonDepth = 64;
// Scenarios and tapes are kilobytes; a results.json holds ~60 bytes a seed, so this admits one of
// about four million seeds (larger explorations are sharded).
constexpr size_t kMaxInputBytes = size_t{256} << 20;

// `file` opened for reading; no such file, a directory or an unreadable file is an error naming
// it. `what` says what was expected there. Throws protocols::ScenarioError.
std::ifstream open_input_file(const std::string& file, const std::string& what);

// The whole of `file` (a regular file, at most kMaxInputBytes; /dev/zero or a directory is an
// error). `what` says what was expected there ("a scenario file"). Throws protocols::ScenarioError.
std::string read_input_file(const std::string& file, const std::string& what);

// Parses `text` as one JSON document within the bounds above. `field` names where the text came
// from in errors ("" for the whole file, "--set params.ttl"). Throws protocols::ScenarioError.
nlohmann::json parse_json(const std::string& text, const std::string& file,
                          const std::string& field);

// As parse_json, but text that is not JSON at all (a syntax error) gives std::nullopt: a `--set`
// value such as 5s is a bare string. JSON that breaks a bound still throws.
std::optional<nlohmann::json> parse_json_if_json(const std::string& text, const std::string& file,
                                                 const std::string& field);

// read_input_file + parse_json.
nlohmann::json read_json_file(const std::string& file, const std::string& what);

// Throws protocols::ScenarioError naming `file` and `field` unless `text` is valid UTF-8: every
// string we take from the command line ends up in a JSON output, whose writer would throw
// mid-run.
void require_utf8(const std::string& text, const std::string& file, const std::string& field);

}  // namespace faultline::run
