#pragma once
// A protocol's variants as one table: each variant's name, what it does, whether it is a known
// bug, and the flags (or bug enum) that make the code behave that way. `faultline list` and the
// runner's validation read the same table the harness looks its flags up in, so a variant's name
// is written in exactly one place: no string comparison elsewhere can be misspelt into silently
// running the correct protocol instead of a bug.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/protocol.hpp"

namespace faultline::protocols {

template <class Flags>
struct Variant {
  std::string name;
  std::string description;
  bool buggy = false;  // a known-bug variant, shipped so the checkers can be shown to catch it
  Flags flags{};
};

template <class Flags>
class VariantTable {
 public:
  // The first variant is the default and must be the correct one; names are unique.
  explicit VariantTable(std::vector<Variant<Flags>> variants) : variants_(std::move(variants)) {
    if (variants_.empty() || variants_.front().buggy) {
      throw std::logic_error("a variant table starts with its correct variant");
    }
    for (size_t i = 0; i < variants_.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (variants_[i].name == variants_[j].name) {
          throw std::logic_error("variant \"" + variants_[i].name + "\" is listed twice");
        }
      }
    }
  }

  std::vector<VariantInfo> infos() const {
    std::vector<VariantInfo> out;
    for (const auto& v : variants_) out.push_back({v.name, v.description, v.buggy});
    return out;
  }

  // The flags of a variant the runner has validated against infos(); any other name is a bug in
  // the caller, not bad input.
  const Flags& flags(std::string_view name) const {
    for (const auto& v : variants_) {
      if (v.name == name) return v.flags;
    }
    throw std::logic_error("no variant named \"" + std::string(name) + "\"");
  }

 private:
  std::vector<Variant<Flags>> variants_;
};

}  // namespace faultline::protocols
