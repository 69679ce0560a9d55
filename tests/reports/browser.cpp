#include "browser.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace faultline::testing {

namespace {

using Clock = std::chrono::steady_clock;
// A report is one local file: loading and rendering it takes a fraction of a second. Past this,
// the browser is stuck, and the test says so rather than hanging the suite.
constexpr auto kCallTimeout = std::chrono::seconds(60);

// A pipe end moved above the descriptors the child is given (3 and 4), close-on-exec.
int high_fd(int fd) {
  const int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  ::close(fd);
  if (high < 0) throw std::runtime_error(std::string("browser: fcntl: ") + std::strerror(errno));
  return high;
}

std::string errors_text(const nlohmann::json& details) {
  std::string text = details.value("text", std::string("exception"));
  if (details.contains("exception") && details["exception"].contains("description"))
    text += ": " + details["exception"]["description"].get<std::string>();
  return text;
}

}  // namespace

std::string chromium_binary() {
  const char* configured = std::getenv("FAULTLINE_CHROMIUM");
  const std::string path = configured && *configured ? configured : "/usr/bin/chromium";
  return ::access(path.c_str(), X_OK) == 0 ? path : "";
}

std::string base64_decode(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) continue;  // padding, line breaks
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) out += static_cast<char>((bits >> 4) & 0xFF);
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xFF);
    out += static_cast<char>((bits >> 2) & 0xFF);
  }
  return out;
}

Browser::Browser(const std::string& binary, int width, int height)
    : width_(width), height_(height) {
  char profile[] = "/tmp/faultline-chromium-XXXXXX";
  if (::mkdtemp(profile) == nullptr)
    throw std::runtime_error(std::string("browser: mkdtemp: ") + std::strerror(errno));
  profile_ = profile;

  // Commands go over a socket pair rather than a pipe: a write to a browser that died then fails
  // with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE, which would end the whole suite.
  int commands[2], responses[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, commands) != 0 || ::pipe(responses) != 0)
    throw std::runtime_error(std::string("browser: pipe: ") + std::strerror(errno));
  const int child_in = high_fd(commands[0]);
  to_browser_ = high_fd(commands[1]);
  from_browser_ = high_fd(responses[0]);
  const int child_out = high_fd(responses[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, child_in, 3);
  posix_spawn_file_actions_adddup2(&actions, child_out, 4);
  std::vector<std::string> args = {
      binary,
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--remote-debugging-pipe",
      "--user-data-dir=" + profile_,
      "--window-size=" + std::to_string(width) + "," + std::to_string(height),
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--mute-audio",
      "about:blank"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int spawned = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(child_in);
  ::close(child_out);
  if (spawned != 0) {
    pid_ = -1;
    close();
    throw std::runtime_error("browser: cannot start " + binary + ": " + std::strerror(spawned));
  }
  try {
    const std::string target =
        call("Target.createTarget", {{"url", "about:blank"}}, false)["targetId"];
    session_ = call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}},
                    false)["sessionId"];
    call("Page.enable");
    call("Runtime.enable");
    call("Log.enable");
    call("Emulation.setDeviceMetricsOverride",
         {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}});
  } catch (...) {
    close();
    throw;
  }
}

Browser::~Browser() {
  close();
}

void Browser::close() {
  if (pid_ > 0) {
    if (to_browser_ >= 0) {
      try {
        send({{"id", next_id_++}, {"method", "Browser.close"}});
      } catch (const std::exception&) {
        // Gone already: waited for below.
      }
    }
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
  }
  for (int* fd : {&to_browser_, &from_browser_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
  if (!profile_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(profile_, ignored);
    profile_.clear();
  }
}

void Browser::send(const nlohmann::json& message) {
  std::string bytes = message.dump();
  bytes.push_back('\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(to_browser_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("browser: write: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

nlohmann::json Browser::receive(Clock::time_point deadline) {
  for (;;) {
    const size_t end = pending_.find('\0');
    if (end != std::string::npos) {
      nlohmann::json message = nlohmann::json::parse(pending_.substr(0, end));
      pending_.erase(0, end + 1);
      return message;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) throw std::runtime_error("browser: no answer within the time allowed");
    pollfd p{from_browser_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buffer[1 << 16];
    const ssize_t n = ::read(from_browser_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("browser: it closed the pipe (crashed or exited)");
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

void Browser::on_event(const nlohmann::json& message) {
  const std::string method = message.value("method", "");
  const nlohmann::json& params = message.contains("params") ? message["params"] : message;
  if (method == "Page.loadEventFired") {
    loaded_ = true;
  } else if (method == "Runtime.exceptionThrown") {
    errors_.push_back("exception: " +
                      errors_text(params.value("exceptionDetails", nlohmann::json::object())));
  } else if (method == "Runtime.consoleAPICalled" && params.value("type", "") == "error") {
    std::string text = "console.error:";
    for (const nlohmann::json& arg : params.value("args", nlohmann::json::array())) {
      text += " " + (arg.contains("value") ? arg["value"].dump()
                                           : arg.value("description", std::string("?")));
    }
    errors_.push_back(text);
  } else if (method == "Log.entryAdded") {
    const nlohmann::json& entry = params["entry"];
    if (entry.value("level", "") == "error")
      errors_.push_back("log: " + entry.value("text", std::string("?")) + " " +
                        entry.value("url", std::string("")));
  }
}

nlohmann::json Browser::call(const std::string& method, const nlohmann::json& params, bool in_tab) {
  const uint64_t id = next_id_++;
  nlohmann::json message = {{"id", id}, {"method", method}};
  message["params"] = params.is_null() ? nlohmann::json::object() : params;
  if (in_tab) message["sessionId"] = session_;
  send(message);
  const auto deadline = Clock::now() + kCallTimeout;
  for (;;) {
    nlohmann::json answer = receive(deadline);
    if (!answer.contains("id")) {
      on_event(answer);
      continue;
    }
    if (answer["id"] != id) continue;
    if (answer.contains("error"))
      throw std::runtime_error("browser: " + method + ": " + answer["error"].dump());
    return answer.value("result", nlohmann::json::object());
  }
}

void Browser::navigate(const std::string& url) {
  errors_.clear();
  loaded_ = false;
  const nlohmann::json result = call("Page.navigate", {{"url", url}});
  if (result.contains("errorText"))
    throw std::runtime_error("browser: cannot load " + url + ": " +
                             result["errorText"].get<std::string>());
  const auto deadline = Clock::now() + kCallTimeout;
  while (!loaded_) on_event(receive(deadline));
}

nlohmann::json Browser::evaluate(const std::string& expression) {
  const nlohmann::json result =
      call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}});
  if (result.contains("exceptionDetails"))
    throw std::runtime_error("browser: evaluating failed: " +
                             errors_text(result["exceptionDetails"]));
  return result["result"].value("value", nlohmann::json());
}

void Browser::press_key(const std::string& key) {
  nlohmann::json down = {{"type", "keyDown"}, {"key", key}};
  if (key == "ArrowRight" || key == "ArrowLeft") {
    down["code"] = key;
    down["windowsVirtualKeyCode"] = key == "ArrowRight" ? 39 : 37;
  } else if (key.size() == 1 && key[0] >= 'a' && key[0] <= 'z') {
    down["code"] = std::string("Key") + static_cast<char>(key[0] - 'a' + 'A');
    down["windowsVirtualKeyCode"] = key[0] - 'a' + 'A';
    down["text"] = key;
  } else {
    throw std::invalid_argument("browser: press_key: no key " + key);
  }
  call("Input.dispatchKeyEvent", down);
  nlohmann::json up = down;
  up["type"] = "keyUp";
  up.erase("text");
  call("Input.dispatchKeyEvent", up);
}

std::string Browser::screenshot_png() {
  const nlohmann::json metrics = call("Page.getLayoutMetrics");
  double height = height_;
  if (metrics.contains("cssContentSize")) height = metrics["cssContentSize"].value("height", 0.0);
  height = std::min(std::max(height, 1.0), 16384.0);
  const nlohmann::json shot =
      call("Page.captureScreenshot",
           {{"format", "png"},
            {"captureBeyondViewport", true},
            {"clip", {{"x", 0}, {"y", 0}, {"width", width_}, {"height", height}, {"scale", 1}}}});
  return base64_decode(shot.value("data", std::string()));
}

}  // namespace faultline::testing
