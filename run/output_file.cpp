#include "run/output_file.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace faultline::run {

OutputFile::OutputFile(std::string path)
    : path_(std::move(path)), temporary_(path_ + ".tmp"), out_(temporary_, std::ios::binary) {
  if (!out_) throw std::runtime_error(path_ + ": cannot write here");
}

OutputFile::~OutputFile() {
  if (committed_) return;
  out_.close();
  std::remove(temporary_.c_str());
}

void OutputFile::commit() {
  out_.flush();
  bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    throw std::runtime_error(path_ + ": could not be written");
  }
  committed_ = true;
}

void make_directories(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::runtime_error(dir + ": cannot create directory: " + error.message());
}

void write_file_atomically(const std::string& path, const std::string& text) {
  OutputFile file(path);
  file.stream() << text;
  file.commit();
}

}  // namespace faultline::run
