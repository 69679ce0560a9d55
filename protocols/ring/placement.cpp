#include "protocols/ring/placement.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <utility>

#include "base/hash.hpp"

namespace faultline::protocols::ring {
namespace {

uint64_t pair_hash(std::string_view a, std::string_view b) {
  return splitmix64_finalizer(fnv1a(b, fnv1a(a) ^ 0x9e3779b97f4a7c15ULL));
}

// Nodes in order, from an index that need not be a node of `nodes`.
std::vector<size_t> distinct_from(size_t first, size_t count, size_t nodes) {
  std::vector<size_t> out;
  for (size_t i = 0; i < std::min(count, nodes); ++i) out.push_back((first + i) % nodes);
  return out;
}

class Modulo : public Placement {
 public:
  explicit Modulo(size_t nodes) : nodes_(nodes) {}
  size_t node_of(std::string_view key) const override { return key_hash(key) % nodes_; }
  std::vector<size_t> successors(std::string_view key, size_t count) const override {
    return distinct_from(node_of(key), count, nodes_);
  }

 private:
  size_t nodes_;
};

class Ring : public Placement {
 public:
  Ring(const std::vector<std::string>& nodes, size_t vnodes) : nodes_(nodes.size()) {
    for (size_t n = 0; n < nodes.size(); ++n) {
      for (size_t v = 0; v < vnodes; ++v) {
        // Ties between tokens are broken by node index, so the ring is a total order.
        tokens_.emplace_back(pair_hash(nodes[n], "token-" + std::to_string(v)), n);
      }
    }
    std::sort(tokens_.begin(), tokens_.end());
  }

  size_t node_of(std::string_view key) const override { return tokens_[first_token(key)].second; }

  std::vector<size_t> successors(std::string_view key, size_t count) const override {
    std::vector<size_t> out;
    const size_t start = first_token(key);
    for (size_t i = 0; i < tokens_.size() && out.size() < std::min(count, nodes_); ++i) {
      const size_t node = tokens_[(start + i) % tokens_.size()].second;
      if (std::find(out.begin(), out.end(), node) == out.end()) out.push_back(node);
    }
    return out;
  }

 private:
  size_t first_token(std::string_view key) const {
    const uint64_t h = key_hash(key);
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), std::make_pair(h, size_t{0}));
    return it == tokens_.end() ? 0 : static_cast<size_t>(it - tokens_.begin());
  }

  size_t nodes_;
  std::vector<std::pair<uint64_t, size_t>> tokens_;  // (position on the ring, node), sorted
};

class Rendezvous : public Placement {
 public:
  explicit Rendezvous(const std::vector<std::string>& nodes) : nodes_(nodes) {}

  size_t node_of(std::string_view key) const override { return ranked(key, 1).front(); }
  std::vector<size_t> successors(std::string_view key, size_t count) const override {
    return ranked(key, count);
  }

 private:
  // Nodes by descending weight hash(key, node); ties by index.
  std::vector<size_t> ranked(std::string_view key, size_t count) const {
    std::vector<std::pair<uint64_t, size_t>> weights;
    for (size_t n = 0; n < nodes_.size(); ++n) {
      weights.emplace_back(pair_hash(key, nodes_[n]), n);
    }
    std::sort(weights.begin(), weights.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<size_t> out;
    for (size_t i = 0; i < std::min(count, weights.size()); ++i) out.push_back(weights[i].second);
    return out;
  }

  std::vector<std::string> nodes_;
};

class Jump : public Placement {
 public:
  explicit Jump(size_t nodes) : nodes_(nodes) {}

  // Lamping & Veach's loop: the key's bucket jumps forward as the bucket count grows, each jump
  // drawn from a linear congruential generator seeded by the key.
  size_t node_of(std::string_view key) const override {
    uint64_t k = key_hash(key);
    int64_t b = -1, j = 0;
    while (j < static_cast<int64_t>(nodes_)) {
      b = j;
      k = k * 2862933555777941757ULL + 1;
      j = static_cast<int64_t>(static_cast<double>(b + 1) * (static_cast<double>(1LL << 31) /
                                                             static_cast<double>((k >> 33) + 1)));
    }
    return static_cast<size_t>(b);
  }
  std::vector<size_t> successors(std::string_view key, size_t count) const override {
    return distinct_from(node_of(key), count, nodes_);
  }

 private:
  size_t nodes_;
};

}  // namespace

std::string_view to_string(Strategy strategy) {
  switch (strategy) {
    case Strategy::kModulo:
      return "modulo";
    case Strategy::kRing:
      return "ring";
    case Strategy::kRingVnodes:
      return "ring-vnodes";
    case Strategy::kRendezvous:
      return "rendezvous";
    case Strategy::kJump:
      return "jump";
  }
  return "?";
}

uint64_t key_hash(std::string_view key) {
  return splitmix64_finalizer(fnv1a(key));
}

std::unique_ptr<Placement> make_placement(Strategy strategy, const std::vector<std::string>& nodes,
                                          size_t vnodes) {
  assert(!nodes.empty());
  switch (strategy) {
    case Strategy::kModulo:
      return std::make_unique<Modulo>(nodes.size());
    case Strategy::kRing:
      return std::make_unique<Ring>(nodes, 1);
    case Strategy::kRingVnodes:
      return std::make_unique<Ring>(nodes, std::max<size_t>(vnodes, 1));
    case Strategy::kRendezvous:
      return std::make_unique<Rendezvous>(nodes);
    case Strategy::kJump:
      return std::make_unique<Jump>(nodes.size());
  }
  return nullptr;
}

}  // namespace faultline::protocols::ring
