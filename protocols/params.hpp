#pragma once
// Reading a scenario strictly: every field is typed, ranged and known. An unknown key, a wrong
// type or an impossible value becomes one line naming the file, the field's path and what was
// expected (`lease-gc-pause.json: faults[2].at: expected a duration like "150ms", got -5`). The
// scenario loader (cli/) and each protocol's own parameters read through the same class.

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/time.hpp"

namespace faultline::protocols {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(const std::string& file, const std::string& path, const std::string& expected,
                const std::string& got);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Renders a JSON value for an error message: short, one line.
std::string describe_json(const nlohmann::json& value);

class Fields {
 public:
  // `value` must be an object; `path` is where it sits ("" for the document, "network.latency").
  Fields(const nlohmann::json& value, std::string file, std::string path);
  // Fields keeps a pointer to `value`: a temporary would dangle before the first read.
  Fields(nlohmann::json&& value, std::string file, std::string path) = delete;

  bool has(const std::string& key) const;
  std::string path_of(const std::string& key) const;
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;
  [[noreturn]] void fail_at(const std::string& path, const std::string& expected,
                            const nlohmann::json& got) const;

  std::string string(const std::string& key, const std::string& fallback);
  std::string required_string(const std::string& key);
  // One of `choices`, with the choices named in the error.
  std::string choice(const std::string& key, const std::vector<std::string>& choices,
                     const std::string& fallback);
  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  double number(const std::string& key, double fallback, double min, double max);
  bool boolean(const std::string& key, bool fallback);
  sim::Duration duration(const std::string& key, sim::Duration fallback,
                         sim::Duration min = sim::Duration{},
                         sim::Duration max = sim::Duration::max());
  std::vector<std::string> strings(const std::string& key);
  // A nested object (empty when absent); the caller must finish() it too.
  Fields object(const std::string& key);
  // The raw value, marked as known; nullptr when absent.
  const nlohmann::json* raw(const std::string& key);

  // Fails on the first key nobody asked for, naming the keys that are known here.
  void finish() const;

 private:
  const nlohmann::json* get(const std::string& key);

  const nlohmann::json* value_;
  std::string file_;
  std::string path_;
  std::set<std::string> known_;
};

// Reads a duration from a JSON value (a string with a unit) or fails naming `path`.
sim::Duration parse_duration_at(const Fields& owner, const std::string& path,
                                const nlohmann::json& value, sim::Duration min, sim::Duration max);

}  // namespace faultline::protocols
