#include "spec/models/resource_managers.hpp"

namespace faultline::spec::models {

const char* rm_state_name(RmState state) {
  switch (state) {
    case RmState::working:
      return "working";
    case RmState::prepared:
      return "prepared";
    case RmState::committed:
      return "committed";
    case RmState::aborted:
      return "aborted";
  }
  return "?";
}

}  // namespace faultline::spec::models
