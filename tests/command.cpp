#include "tests/command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace faultline::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// Feeds `input` to the child's stdin while draining its stdout and stderr, so that neither side
// blocks on a full pipe whatever the sizes.
void exchange(int in_fd, int out_fd, int err_fd, const std::string& input, CommandResult& result) {
  size_t written = 0;
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open) {
    pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    fds[0].fd = out_open ? out_fd : -1;
    fds[1].fd = err_open ? err_fd : -1;
    if (poll(fds, 3, -1) < 0) {
      check(errno == EINTR, "poll");
      continue;
    }
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      } else {
        (i == 0 ? out_open : err_open) = false;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n <= 0 || written == input.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
}

// AddressSanitizer's own note on fiber switches (the ASan build switches fibers with
// swapcontext) is the sanitizer's, not the program's: it is not part of what a command printed.
std::string without_sanitizer_notes(const std::string& err) {
  static const std::string kNote = "WARNING: ASan doesn't fully support makecontext/swapcontext";
  std::string out;
  size_t start = 0;
  while (start < err.size()) {
    size_t end = err.find('\n', start);
    end = end == std::string::npos ? err.size() : end + 1;
    const std::string line = err.substr(start, end - start);
    if (!(line.rfind("==", 0) == 0 && line.find(kNote) != std::string::npos)) out += line;
    start = end;
  }
  return out;
}

CommandResult spawn(const std::vector<std::string>& argv, const std::string& cwd,
                    const std::string& stdin_text, const std::string& path_prefix) {
  int in[2], out[2], err[2];
  check(pipe(in) == 0 && pipe(out) == 0 && pipe(err) == 0, "pipe");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string directory = cwd.empty() ? source_dir() : cwd;
  // The child's environment is built here: between fork and exec a child of a threaded process
  // (the docs test runs commands from two threads) must not allocate.
  std::vector<std::string> variables;
  bool path_set = path_prefix.empty();
  for (char** variable = environ; *variable; ++variable) {
    // Commands print annotations and append to the job summary under GitHub Actions: a suite run
    // there must see what it sees anywhere else (a test sets them itself, through run_shell).
    if (std::strncmp(*variable, "GITHUB_ACTIONS=", 15) == 0 ||
        std::strncmp(*variable, "GITHUB_STEP_SUMMARY=", 20) == 0) {
      continue;
    }
    const bool is_path = std::strncmp(*variable, "PATH=", 5) == 0;
    if (is_path && !path_prefix.empty()) {
      variables.push_back("PATH=" + path_prefix + ":" + (*variable + 5));
      path_set = true;
    } else {
      variables.push_back(*variable);
    }
  }
  if (!path_set) variables.push_back("PATH=" + path_prefix + ":/usr/bin:/bin");
  std::vector<char*> environment;
  for (std::string& v : variables) environment.push_back(v.data());
  environment.push_back(nullptr);
  pid_t pid = fork();
  check(pid >= 0, "fork");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    if (chdir(directory.c_str()) != 0) _exit(127);
    execve(args[0], args.data(), environment.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  CommandResult result;
  exchange(in[1], out[0], err[0], stdin_text, result);
  close(out[0]);
  close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) check(errno == EINTR, "waitpid");
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.err = without_sanitizer_notes(result.err);
  return result;
}

}  // namespace

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string faultline_binary() {
  return FAULTLINE_BINARY;
}
std::string source_dir() {
  return FAULTLINE_SOURCE_DIR;
}

CommandResult run_faultline(const std::vector<std::string>& args, const std::string& cwd,
                            const std::string& stdin_text) {
  std::vector<std::string> argv{faultline_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn(argv, cwd, stdin_text, "");
}

CommandResult run_shell(const std::string& command, const std::string& cwd) {
  const std::string bin_dir = std::filesystem::path(faultline_binary()).parent_path().string();
  return spawn({"/bin/sh", "-c", command}, cwd, "", bin_dir);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "faultline-test-XXXXXX").string();
  check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace faultline::testing
