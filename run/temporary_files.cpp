#include "run/temporary_files.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace faultline::run {
namespace {

// A run writes five outputs one after another, explore a results file and a shrunk run: a few
// are live at once; 32 leaves room for users' own programs.
constexpr int kSlots = 32;
constexpr size_t kMaxPath = 4096;

char paths[kSlots][kMaxPath];
std::atomic<bool> claimed[kSlots];  // a thread owns the slot
std::atomic<bool> live[kSlots];     // its path is complete: the handler may unlink it

static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler reads these");

extern "C" void remove_and_reraise(int signal_number) {
  for (int i = 0; i < kSlots; ++i) {
    if (live[i].load(std::memory_order_acquire)) unlink(paths[i]);
  }
  // SA_RESETHAND restored the default action: dying of the signal tells the parent what happened.
  raise(signal_number);
}

}  // namespace

void remove_temporaries_on_signal() {
  struct sigaction action {};
  action.sa_handler = remove_and_reraise;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
}

int register_temporary(const std::string& path) {
  if (path.size() >= kMaxPath) return -1;
  for (int i = 0; i < kSlots; ++i) {
    if (claimed[i].exchange(true, std::memory_order_acq_rel)) continue;
    std::memcpy(paths[i], path.c_str(), path.size() + 1);
    live[i].store(true, std::memory_order_release);
    return i;
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot < 0) return;
  live[slot].store(false, std::memory_order_release);
  claimed[slot].store(false, std::memory_order_release);
}

}  // namespace faultline::run
