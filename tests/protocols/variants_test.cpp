// Variants are one table per protocol (protocols/variants.hpp): the names `faultline list` shows
// and the runner accepts are the names the harness looks its flags up by.
#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

#include "protocols/variants.hpp"
#include "run/registry.hpp"

namespace faultline::protocols {
namespace {

struct Flags {
  bool broken = false;
};

}  // namespace

TEST_CASE("a variant table hands out each variant's own flags") {
  VariantTable<Flags> table(
      {{"correct", "as designed", false, {}}, {"broken", "a known bug", true, {.broken = true}}});
  CHECK_FALSE(table.flags("correct").broken);
  CHECK(table.flags("broken").broken);
  CHECK(table.infos().size() == 2);
  CHECK(table.infos()[1].buggy);
  // A name the runner did not validate is a programming error, never the correct protocol.
  CHECK_THROWS_AS(table.flags("borken"), std::logic_error);
}

TEST_CASE("a variant table must start with its correct variant and name each variant once") {
  CHECK_THROWS_AS(VariantTable<Flags>({{"broken", "", true, {.broken = true}}}), std::logic_error);
  CHECK_THROWS_AS(VariantTable<Flags>({{"correct", "", false, {}}, {"correct", "", false, {}}}),
                  std::logic_error);
}

TEST_CASE("every registered protocol lists a correct default variant and unique variant names") {
  for (const ProtocolInfo& protocol : run::protocol_registry()) {
    INFO(protocol.name);
    REQUIRE_FALSE(protocol.variants.empty());
    CHECK_FALSE(protocol.variants.front().buggy);
    std::set<std::string> names;
    for (const VariantInfo& v : protocol.variants) CHECK(names.insert(v.name).second);
  }
}

}  // namespace faultline::protocols
