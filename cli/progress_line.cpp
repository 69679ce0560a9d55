#include "cli/progress_line.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace faultline::cli {

namespace {
constexpr std::chrono::milliseconds kRedraw{250};
}  // namespace

bool ProgressLine::stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

ProgressLine::ProgressLine(uint64_t total, bool shown)
    : total_(total), started_(std::chrono::steady_clock::now()) {
  if (!shown) return;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, kRedraw, [this] { return stop_; })) draw();
  });
}

ProgressLine::~ProgressLine() {
  finish();
}

void ProgressLine::finish() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  draw();
  std::fputs("\n", stderr);
  std::fflush(stderr);
}

void ProgressLine::draw() const {
  const uint64_t done = done_.load(std::memory_order_relaxed);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const auto rate = static_cast<uint64_t>(seconds > 0 ? static_cast<double>(done) / seconds : 0);
  // "\033[K" clears what a longer earlier line left to the right; one write per redraw.
  const std::string line = "\rexplore: " + std::to_string(done) + "/" + std::to_string(total_) +
                           " seeds, " + std::to_string(failing_.load(std::memory_order_relaxed)) +
                           " failing, " + std::to_string(rate) + " seeds/s\033[K";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace faultline::cli
