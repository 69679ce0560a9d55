#pragma once
// explore's progress on a terminal: one line on standard error that rewrites itself ('\r') a few
// times a second, "seeds done/total, failing so far, seeds/s", finished with a newline. It is
// shown only when standard error is a terminal, so that logs and tests stay clean. The line is
// drawn by its own thread from counters the workers bump as each seed finishes, so it moves
// however slow a seed is and whatever the batches written to results.json.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace faultline::cli {

class ProgressLine {
 public:
  // Draws nothing unless `shown`.
  ProgressLine(uint64_t total, bool shown);
  ~ProgressLine();  // finish()es
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // From any worker thread, as a seed finishes.
  void seed_done(bool failed) {
    done_.fetch_add(1, std::memory_order_relaxed);
    if (failed) failing_.fetch_add(1, std::memory_order_relaxed);
  }

  // Stops redrawing; draws the final counts and ends the line.
  void finish();

  // Whether a progress line goes to standard error: it is a terminal.
  static bool stderr_is_terminal();

 private:
  void draw() const;

  const uint64_t total_;
  const std::chrono::steady_clock::time_point started_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> failing_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace faultline::cli
