// The lock service's property tests, as a user's CI runs them: the correct server holds over many
// seeds of the crash nemesis; the known bug is found within a few.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <faultline/doctest.hpp>

#include "lock_service.hpp"

namespace {

// Registration happens once, before the first scenario naming "lock-service" is loaded.
void register_lock_service() {
  static const bool registered = [] {
    faultline::run::register_protocol(lock_service::lock_service_info());
    return true;
  }();
  (void)registered;
}

}  // namespace

TEST_CASE("the correct lock server keeps mutual exclusion across its crashes") {
  register_lock_service();
  FAULTLINE_CHECK_HOLDS(SCENARIOS "/crash-nemesis.json", {.seeds = 50});
}

TEST_CASE("a lock server that forgets its holder on restart is caught") {
  register_lock_service();
  FAULTLINE_CHECK_FINDS(SCENARIOS "/volatile-holder-nemesis.json", "mutual-exclusion",
                        {.seeds = 20});
}
