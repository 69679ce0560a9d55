#pragma once
// What an omniscient observer of the queue family records, outside every node so that crashes do
// not erase it: each message a producer published and when its confirm arrived, and each time the
// sink applied a message's effect. The checkers (queue_checks.hpp) judge these records.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline::protocols::queue {

struct PublishedRecord {
  std::string id;
  std::string producer;
  int64_t seq = 0;
  std::optional<int64_t> confirmed_at_ns;  // the producer saw the publisher confirm
};

struct Application {
  std::string id;
  std::string consumer;  // who sent the Apply the sink applied
  int64_t at_ns = 0;
};

class QueueGhost {
 public:
  // A producer is about to publish `id` (again, after a restart: recorded once).
  void publish(const std::string& producer, const std::string& id, int64_t seq) {
    if (index_.count(id)) return;
    index_[id] = published_.size();
    published_.push_back({id, producer, seq, std::nullopt});
  }
  void confirm(const std::string& id, int64_t at_ns) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    auto& record = published_[it->second];
    if (!record.confirmed_at_ns) record.confirmed_at_ns = at_ns;
  }
  void apply(const std::string& id, const std::string& consumer, int64_t at_ns) {
    applications_.push_back({id, consumer, at_ns});
  }

  // A mirror took over: the figure that shows a run exercised the failover at all.
  void failover() { ++failovers_; }

  const std::vector<PublishedRecord>& published() const { return published_; }
  int64_t failovers() const { return failovers_; }
  const std::vector<Application>& applications() const { return applications_; }

 private:
  std::vector<PublishedRecord> published_;
  std::map<std::string, size_t> index_;
  std::vector<Application> applications_;
  int64_t failovers_ = 0;
};

}  // namespace faultline::protocols::queue
