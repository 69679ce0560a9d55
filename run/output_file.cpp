#include "run/output_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "protocols/params.hpp"
#include "run/temporary_files.hpp"

namespace faultline::run {

using protocols::ScenarioError;

namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "something other than a regular file";
}

}  // namespace

void require_replaceable(const std::string& path, const std::string& flag) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return;  // nothing there (or unreachable: open will say)
  if (!S_ISREG(info.st_mode)) {
    throw ScenarioError(path, flag, "a regular file or a new name to write", kind_of(info.st_mode));
  }
}

OutputFile::OutputFile(std::string path, std::string flag)
    : path_(std::move(path)), flag_(std::move(flag)), temporary_(path_ + ".tmp") {
  require_replaceable(path_, flag_);
  require_replaceable(temporary_, flag_);
  slot_ = register_temporary(temporary_);
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    int error = errno;
    unregister_temporary(slot_);
    throw ScenarioError(path_, flag_, "a path where a file can be written",
                        error ? std::strerror(error) : "a path that cannot be opened");
  }
}

OutputFile::~OutputFile() {
  if (committed_) return;
  out_.close();
  std::remove(temporary_.c_str());
  unregister_temporary(slot_);
}

void OutputFile::commit() {
  out_.flush();
  bool ok = static_cast<bool>(out_);
  out_.close();
  require_replaceable(path_, flag_);  // it may have appeared while the run ran
  if (!ok || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    throw std::runtime_error(path_ + ": could not be written");
  }
  committed_ = true;
  unregister_temporary(slot_);
}

void make_directories(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (!error && !std::filesystem::is_directory(dir, error)) {
    error = std::make_error_code(std::errc::not_a_directory);
  }
  if (error) throw ScenarioError(dir, "--out", "a directory that can be created", error.message());
}

void write_file_atomically(const std::string& path, const std::string& text,
                           const std::string& flag) {
  OutputFile file(path, flag);
  file.stream() << text;
  file.commit();
}

}  // namespace faultline::run
