// The faultline command line with the lock service registered: every subcommand (run, explore,
// shrink, replay, list...) works on scenarios that name "lock-service".
#include "lock_service.hpp"

int main(int argc, char** argv) {
  faultline::run::register_protocol(lock_service::lock_service_info());
  return faultline::main(argc, argv);
}
