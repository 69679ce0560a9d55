#pragma once
// An output file written in full or not at all: it is written as NAME.tmp and renamed over NAME
// only on commit(). A run that fails half-way, or is stopped by a signal
// (run/temporary_files.hpp), leaves no half-written trace or report behind. Only a regular file
// is ever replaced: `--out /dev/null` must not turn a device into a JSON file.

#include <fstream>
#include <string>

namespace faultline::run {

class OutputFile {
 public:
  // Throws protocols::ScenarioError (bad input: exit 2) naming `flag` (the option that chose the
  // path) when `path` is something other than a regular file, or cannot be created.
  explicit OutputFile(std::string path, std::string flag = "--out");
  ~OutputFile();  // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ofstream& stream() { return out_; }
  // Flushes, closes and renames into place; throws std::runtime_error on an I/O error.
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string flag_;
  std::string temporary_;
  std::ofstream out_;
  int slot_ = -1;  // in the signal handler's table of temporary files
  bool committed_ = false;
};

// Creates `dir` and its parents; throws protocols::ScenarioError naming it (bad input: exit 2)
// when it cannot.
void make_directories(const std::string& dir);

// Throws protocols::ScenarioError naming `flag` unless `path` is absent or a regular file: what
// an output may replace. Commands call it before a long run, so that a bad --out fails at once.
void require_replaceable(const std::string& path, const std::string& flag = "--out");

// Writes `text` to `path` atomically.
void write_file_atomically(const std::string& path, const std::string& text,
                           const std::string& flag = "--out");

}  // namespace faultline::run
