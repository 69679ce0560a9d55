#include "sim/message_labels.hpp"

#include <map>
#include <mutex>
#include <set>

namespace faultline::sim {

namespace {

struct Table {
  std::mutex mutex;  // declarations come at static initialisation; reads from any thread
  std::map<std::string, std::set<std::string>, std::less<>> formats;
};

// Built on first use: declarations run during other translation units' static initialisation.
Table& table() {
  static Table instance;
  return instance;
}

}  // namespace

bool declare_message_label(std::string_view name, std::string_view format) {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mutex);
  t.formats[std::string(name)].emplace(format);
  return true;
}

std::vector<std::string> message_label_formats(std::string_view name) {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mutex);
  auto it = t.formats.find(name);
  if (it == t.formats.end()) return {};
  return {it->second.begin(), it->second.end()};
}

}  // namespace faultline::sim
