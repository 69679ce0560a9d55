#include "protocols/params.hpp"

namespace faultline::protocols {

ScenarioError::ScenarioError(const std::string& file, const std::string& path,
                             const std::string& expected, const std::string& got)
    : std::runtime_error(file + ": " + (path.empty() ? "(document)" : path) + ": expected " +
                         expected + ", got " + got),
      path_(path) {}

std::string describe_json(const nlohmann::json& value) {
  if (value.is_null()) return "nothing";
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  if (value.is_object()) return "an object " + text;
  if (value.is_array()) return "an array " + text;
  return text;
}

Fields::Fields(const nlohmann::json& value, std::string file, std::string path)
    : value_(&value), file_(std::move(file)), path_(std::move(path)) {
  if (!value.is_object()) throw ScenarioError(file_, path_, "an object", describe_json(value));
}

bool Fields::has(const std::string& key) const {
  return value_->contains(key);
}

std::string Fields::path_of(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void Fields::fail(const std::string& key, const std::string& expected) const {
  const nlohmann::json got = value_->contains(key) ? (*value_)[key] : nlohmann::json();
  throw ScenarioError(file_, path_of(key), expected, describe_json(got));
}

void Fields::fail_at(const std::string& path, const std::string& expected,
                     const nlohmann::json& got) const {
  throw ScenarioError(file_, path, expected, describe_json(got));
}

const nlohmann::json* Fields::get(const std::string& key) {
  known_.insert(key);
  auto it = value_->find(key);
  return it == value_->end() ? nullptr : &*it;
}

const nlohmann::json* Fields::raw(const std::string& key) {
  return get(key);
}

std::string Fields::string(const std::string& key, const std::string& fallback) {
  const nlohmann::json* v = get(key);
  if (!v) return fallback;
  if (!v->is_string()) fail(key, "a string");
  return v->get<std::string>();
}

std::string Fields::required_string(const std::string& key) {
  if (!has(key)) fail(key, "a string (this field is required)");
  return string(key, "");
}

std::string Fields::choice(const std::string& key, const std::vector<std::string>& choices,
                           const std::string& fallback) {
  std::string value = string(key, fallback);
  for (const std::string& c : choices) {
    if (c == value) return value;
  }
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + ("\"" + c + "\"");
  fail(key, "one of " + list);
}

int64_t Fields::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  const nlohmann::json* v = get(key);
  if (!v) return fallback;
  std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!v->is_number_integer()) fail(key, range);
  int64_t n = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX)
                  ? INT64_MAX
                  : v->get<int64_t>();
  if (n < min || n > max) fail(key, range);
  return n;
}

double Fields::number(const std::string& key, double fallback, double min, double max) {
  const nlohmann::json* v = get(key);
  if (!v) return fallback;
  nlohmann::json range_min = min, range_max = max;
  std::string range = "a number from " + range_min.dump() + " to " + range_max.dump();
  if (!v->is_number()) fail(key, range);
  double n = v->get<double>();
  if (!(n >= min && n <= max)) fail(key, range);
  return n;
}

bool Fields::boolean(const std::string& key, bool fallback) {
  const nlohmann::json* v = get(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail(key, "true or false");
  return v->get<bool>();
}

sim::Duration parse_duration_at(const Fields& owner, const std::string& path,
                                const nlohmann::json& value, sim::Duration min, sim::Duration max) {
  std::string expected = "a duration like \"150ms\"";
  if (min > sim::Duration{} || max < sim::Duration::max()) {
    expected += " from " + sim::format_duration(min) +
                (max < sim::Duration::max() ? " to " + sim::format_duration(max) : " up");
  }
  sim::Duration d;
  if (!value.is_string() || !sim::parse_duration(value.get<std::string>(), d) || d < min ||
      d > max) {
    owner.fail_at(path, expected, value);
  }
  return d;
}

sim::Duration Fields::duration(const std::string& key, sim::Duration fallback, sim::Duration min,
                               sim::Duration max) {
  const nlohmann::json* v = get(key);
  if (!v) return fallback;
  return parse_duration_at(*this, path_of(key), *v, min, max);
}

std::vector<std::string> Fields::strings(const std::string& key) {
  const nlohmann::json* v = get(key);
  std::vector<std::string> out;
  if (!v) return out;
  if (!v->is_array()) fail(key, "an array of strings");
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      fail_at(path_of(key) + "[" + std::to_string(i) + "]", "a string", (*v)[i]);
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

Fields Fields::object(const std::string& key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json* v = get(key);
  return Fields(v ? *v : kEmpty, file_, path_of(key));
}

void Fields::finish() const {
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    if (known_.count(it.key())) continue;
    std::string list;
    for (const std::string& k : known_) list += (list.empty() ? "" : ", ") + k;
    throw ScenarioError(file_, path_of(it.key()),
                        list.empty() ? "no field here" : "one of the fields " + list,
                        "an unknown field");
  }
}

}  // namespace faultline::protocols
