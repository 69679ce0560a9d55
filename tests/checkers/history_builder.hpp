#pragma once

// Hand-written histories for the checker tests: one row per event, time = row number.

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "checkers/history.hpp"
#include "checkers/models/registry.hpp"

namespace faultline::checkers::testing {

struct Event {
  std::int64_t process;
  const char* type;
  const char* f;
  nlohmann::json value;
};

// Appends one event at the next time (and line): the history's length plus one.
inline void append(History& h, std::int64_t process, OpType type, std::string f,
                   nlohmann::json value) {
  Operation op;
  op.process = process;
  op.type = type;
  op.f = std::move(f);
  op.value = std::move(value);
  op.time_ns = static_cast<std::int64_t>(h.ops.size()) + 1;
  op.line = h.ops.size() + 1;
  h.ops.push_back(std::move(op));
}

inline History make_history(std::initializer_list<Event> events) {
  History h;
  h.source = "test";
  std::int64_t t = 0;
  for (const Event& e : events) {
    Operation op;
    op.process = e.process;
    std::string type = e.type;
    op.type = type == "invoke" ? OpType::invoke
              : type == "ok"   ? OpType::ok
              : type == "fail" ? OpType::fail
                               : OpType::info;
    op.f = e.f;
    op.value = e.value;
    op.time_ns = ++t;
    op.line = static_cast<std::size_t>(t);
    h.ops.push_back(op);
  }
  return h;
}

inline CheckResult check(const char* model, const History& h, CheckOptions options = {}) {
  const models::ModelInfo* info = models::find_model(model);
  if (info == nullptr) throw std::runtime_error(std::string("no model ") + model);
  return models::check_history(h, *info, options);
}

inline Verdict verdict(const char* model, std::initializer_list<Event> events) {
  return check(model, make_history(events)).verdict;
}

}  // namespace faultline::checkers::testing
