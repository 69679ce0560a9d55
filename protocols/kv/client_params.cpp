#include "protocols/kv/client_params.hpp"

#include <string>

namespace faultline::protocols::kv {

void read_kv_client_params(Fields& p, KvClientOptions& c) {
  c.operations = static_cast<int>(p.integer("operations", 100, 1, 1000000));
  const int keys = static_cast<int>(p.integer("keys", 2, 1, 1000));
  c.keys.clear();
  for (int k = 0; k < keys; ++k)
    c.keys.push_back(std::string(1, static_cast<char>('x' + k % 3)) +
                     (k < 3 ? "" : std::to_string(k / 3)));
  c.read_percent = static_cast<int>(p.integer("read_percent", 40, 0, 100));
  c.append_percent = static_cast<int>(p.integer("append_percent", 30, 0, 100));
  if (c.read_percent + c.append_percent > 100) {
    p.fail("append_percent",
           "at most 100 - read_percent (" + std::to_string(100 - c.read_percent) + ")");
  }
  c.cas_percent = static_cast<int>(p.integer("cas_percent", 0, 0, 100));
  if (c.read_percent + c.append_percent + c.cas_percent > 100) {
    p.fail("cas_percent", "at most 100 - read_percent - append_percent (" +
                              std::to_string(100 - c.read_percent - c.append_percent) + ")");
  }
  c.think = p.duration("think", sim::milliseconds(20));
  c.call_timeout = p.duration("call_timeout", sim::milliseconds(100), sim::microseconds(1));
  c.retry_backoff = p.duration("retry_backoff", sim::milliseconds(20), sim::microseconds(1));
  c.give_up_after = p.duration("give_up_after", sim::seconds(2), sim::microseconds(1));
}

}  // namespace faultline::protocols::kv
