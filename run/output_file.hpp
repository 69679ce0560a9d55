#pragma once
// An output file written in full or not at all: it is written as NAME.tmp and renamed over NAME
// only on commit(). A run that fails half-way leaves no half-written trace or report behind.

#include <fstream>
#include <string>

namespace faultline::run {

class OutputFile {
 public:
  explicit OutputFile(std::string path);
  ~OutputFile();  // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ofstream& stream() { return out_; }
  // Flushes, closes and renames into place; throws std::runtime_error on an I/O error.
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

// Creates `dir` and its parents; throws std::runtime_error naming it on failure.
void make_directories(const std::string& dir);

// Writes `text` to `path` atomically.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace faultline::run
