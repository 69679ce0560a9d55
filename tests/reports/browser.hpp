#pragma once
// Headless Chromium for the tests that look at a report as a reader does: Debian's `chromium`,
// driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands in on file
// descriptor 3, responses and events out on 4, each a JSON message ended by a NUL byte). No npm,
// no network, nothing downloaded: CI installs `chromium` from Debian's archive like every other
// package, and a machine without it skips these tests.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::testing {

// The Chromium to drive: $FAULTLINE_CHROMIUM if set, else /usr/bin/chromium; "" when it is not
// an executable file.
std::string chromium_binary();

// One headless browser with one tab, its viewport `width`×`height` CSS pixels. Not copyable; the
// destructor closes the browser (and kills it if it does not exit) and removes its profile.
class Browser {
 public:
  // Starts `binary`. Throws std::runtime_error when it cannot start or does not answer.
  Browser(const std::string& binary, int width, int height);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Loads `url` (file://...) in the tab and waits for its load event. Clears errors().
  void navigate(const std::string& url);
  // The value of a JavaScript expression in the page (returned by value: numbers, strings,
  // arrays, plain objects). Throws when it throws.
  nlohmann::json evaluate(const std::string& expression);
  // Presses and releases a key as the keyboard would, to the page's focused element (the body
  // when none): `key` is a DOM key value, "ArrowRight", "ArrowLeft" or a lowercase letter.
  void press_key(const std::string& key);
  // A PNG of the page, the whole of its height (at most 16,384 px), the viewport's width.
  std::string screenshot_png();
  // What went wrong in the page since the last navigate: exceptions thrown by scripts, console
  // errors, and the browser's error log (a resource that failed to load).
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  nlohmann::json call(const std::string& method, const nlohmann::json& params = {},
                      bool in_tab = true);
  void send(const nlohmann::json& message);
  // The next message, or throws at the deadline or when the browser is gone.
  nlohmann::json receive(std::chrono::steady_clock::time_point deadline);
  void on_event(const nlohmann::json& message);
  void close();

  int width_ = 0;
  int height_ = 0;
  pid_t pid_ = -1;
  int to_browser_ = -1;
  int from_browser_ = -1;
  std::string pending_;  // bytes read past the last complete message
  uint64_t next_id_ = 1;
  std::string session_;  // the tab's DevTools session
  std::string profile_;  // its own user-data directory, removed at the end
  bool loaded_ = false;
  std::vector<std::string> errors_;
};

// Standard base64 ("SGk=" -> "Hi"), as the protocol sends a screenshot.
std::string base64_decode(const std::string& text);

}  // namespace faultline::testing
