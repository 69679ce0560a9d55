#pragma once
// What an omniscient observer of a counter run remembers, kept in the harness so that it survives
// crashes: every increment a client asked for (its label, when it was invoked, whether and when
// it was acknowledged) and every time a primary appended an entry for it. Nothing here feeds back
// into the nodes; the final-value checker reads it at the end.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace faultline::protocols::counter {

struct IncrementRecord {
  std::string op;      // the label, "client1/0.4"
  std::string client;  // the client node
  int64_t invoked_ns = 0;
  int64_t acked_ns = -1;  // -1: never acknowledged (unknown outcome)
  std::string acked_by;   // the server whose reply acknowledged it
  // A read-modify-write increment (on the kv store): the value it read and wrote last; -1: none.
  int64_t read = -1;
  int64_t wrote = -1;
};

struct AppendRecord {
  std::string op;
  std::string server;
  int64_t at_ns = 0;
};

class CounterGhost {
 public:
  void invoked(const std::string& op, const std::string& client, int64_t at_ns) {
    index_.emplace(op, increments_.size());
    increments_.push_back({op, client, at_ns, -1, {}, -1, -1});
  }
  void acknowledged(const std::string& op, const std::string& server, int64_t at_ns) {
    auto it = index_.find(op);
    if (it == index_.end()) return;
    increments_[it->second].acked_ns = at_ns;
    increments_[it->second].acked_by = server;
  }
  // A read-modify-write increment's write: it read `read` and writes `wrote`.
  void wrote(const std::string& op, int64_t read, int64_t wrote) {
    auto it = index_.find(op);
    if (it == index_.end()) return;
    increments_[it->second].read = read;
    increments_[it->second].wrote = wrote;
  }
  void appended(const std::string& op, const std::string& server, int64_t at_ns) {
    appends_.push_back({op, server, at_ns});
  }

  const std::vector<IncrementRecord>& increments() const { return increments_; }
  const std::vector<AppendRecord>& appends() const { return appends_; }

 private:
  std::vector<IncrementRecord> increments_;
  std::map<std::string, size_t> index_;
  std::vector<AppendRecord> appends_;
};

}  // namespace faultline::protocols::counter
