#include "run/results_file.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <queue>
#include <streambuf>
#include <tuple>

#include "protocols/params.hpp"
#include "run/output_file.hpp"
#include "run/results_reader.hpp"

namespace faultline::run {

using protocols::ScenarioError;

namespace {

// Runs merged at once from this many sorted segments; more are merged in rounds. Each holds a
// 64 KiB buffer: 4 MiB in all, and no limit on open files met (they are all one file).
constexpr size_t kFanIn = 64;
constexpr size_t kReadBuffer = size_t{64} << 10;
constexpr size_t kWriteBuffer = size_t{1} << 20;

// A run in the scratch file: this header, then `bytes` of its compact JSON.
struct RecordHeader {
  uint64_t seed;
  uint64_t index;  // in its file's "runs"
  uint32_t file;   // its file's place on the command line
  uint32_t bytes;
};

struct Record {
  RecordHeader header;
  std::string json;
};

// Appends records to the scratch file from `offset` on, through a buffer.
class ScratchWriter {
 public:
  ScratchWriter(int fd, uint64_t offset, std::function<void(int)> failed)
      : fd_(fd), offset_(offset), failed_(std::move(failed)) {
    buffer_.reserve(kWriteBuffer);
  }

  void add(uint64_t seed, uint64_t index, uint32_t file, const std::string& json) {
    const RecordHeader header{seed, index, file, static_cast<uint32_t>(json.size())};
    append(reinterpret_cast<const char*>(&header), sizeof header);
    append(json.data(), json.size());
  }
  // Writes what is buffered; returns the offset past the last record.
  uint64_t flush() {
    for (size_t done = 0; done < buffer_.size();) {
      ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                           static_cast<off_t>(offset_ + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) failed_(n < 0 ? errno : ENOSPC);
      done += static_cast<size_t>(n);
    }
    offset_ += buffer_.size();
    buffer_.clear();
    return offset_;
  }

 private:
  void append(const char* data, size_t size) {
    if (buffer_.size() + size > kWriteBuffer) flush();
    buffer_.insert(buffer_.end(), data, data + size);
  }

  int fd_;
  uint64_t offset_;
  std::function<void(int)> failed_;
  std::string buffer_;
};

// Reads the records of one segment of the scratch file in order.
class SegmentReader {
 public:
  SegmentReader(int fd, uint64_t begin, uint64_t end, std::function<void(int)> failed)
      : fd_(fd), offset_(begin), end_(end), failed_(std::move(failed)), buffer_(kReadBuffer) {}

  bool next(Record& r) {
    if (offset_ == end_ && pos_ == len_) return false;
    read(reinterpret_cast<char*>(&r.header), sizeof r.header);
    r.json.resize(r.header.bytes);
    read(r.json.data(), r.header.bytes);
    return true;
  }

 private:
  void read(char* out, size_t size) {
    while (size > 0) {
      if (pos_ == len_) fill();
      size_t n = std::min(size, len_ - pos_);
      std::memcpy(out, buffer_.data() + pos_, n);
      pos_ += n;
      out += n;
      size -= n;
    }
  }
  void fill() {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buffer_.size(), end_ - offset_));
    for (;;) {
      ssize_t n = ::pread(fd_, buffer_.data(), want, static_cast<off_t>(offset_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) failed_(n < 0 ? errno : EIO);  // the scratch file is ours: never short
      pos_ = 0;
      len_ = static_cast<size_t>(n);
      offset_ += len_;
      return;
    }
  }

  int fd_;
  uint64_t offset_;
  uint64_t end_;
  std::function<void(int)> failed_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t len_ = 0;
};

// Everything written through it goes to `out` with `indent` after each newline: a value dumped
// on its own, nested in the document. nlohmann's pretty printer puts a newline only before an
// indentation (a string's newline is escaped), so this is the document's own layout, without
// holding the value's text.
class IndentingBuffer : public std::streambuf {
 public:
  IndentingBuffer(std::ostream& out, std::string indent)
      : out_(out), indent_("\n" + std::move(indent)) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    char ch = traits_type::to_char_type(c);
    xsputn(&ch, 1);
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const char* end = s + n;
    while (s < end) {
      const char* newline = static_cast<const char*>(std::memchr(s, '\n', end - s));
      const char* stop = newline ? newline : end;
      out_.write(s, stop - s);
      if (newline) out_.write(indent_.data(), static_cast<std::streamsize>(indent_.size()));
      s = newline ? newline + 1 : end;
    }
    return n;
  }

 private:
  std::ostream& out_;
  std::string indent_;
};

// `value` as `dump(2)` writes it nested `indent` deep in a document.
void write_nested(std::ostream& out, const nlohmann::json& value, const std::string& indent) {
  IndentingBuffer buffer(out, indent);
  std::ostream indented(&buffer);
  indented << std::setw(2) << value;
}

std::string scratch_directory() {
  std::error_code error;
  std::filesystem::path dir = std::filesystem::temp_directory_path(error);
  if (error) {
    const char* tmpdir = std::getenv("TMPDIR");
    throw ScenarioError(tmpdir ? tmpdir : "", "TMPDIR", "a directory for merge's scratch file",
                        error.message());
  }
  return dir.string();
}

}  // namespace

MergedResults::Descriptor::~Descriptor() {
  if (fd >= 0) ::close(fd);
}

MergedResults::MergedResults(const std::vector<std::string>& files)
    : names_(files), scratch_dir_(scratch_directory()) {
  std::string path = scratch_dir_ + "/faultline-merge-XXXXXX";
  scratch_.fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (scratch_.fd < 0) scratch_failed(errno);
  ::unlink(path.c_str());
  auto failed = [this](int error) { scratch_failed(error); };

  // Each file's runs, checked and in seed order, to a segment of their own.
  std::vector<Segment> segments;
  for (size_t i = 0; i < files.size(); ++i) {
    ScratchWriter writer(scratch_.fd, scratch_end_, failed);
    const uint32_t file = static_cast<uint32_t>(i);
    ResultsHead head =
        read_results_file(files[i], i > 0 ? &scenario_ : nullptr,
                          [&](uint64_t seed, uint64_t index, const nlohmann::json& run) {
                            writer.add(seed, index, file, run.dump());
                          });
    segments.push_back(Segment{scratch_end_, writer.flush()});
    scratch_end_ = segments.back().end;
    counts_.ok += head.counts.ok;
    counts_.unknown += head.counts.unknown;
    for (const auto& [checker, count] : head.counts.violations) {
      counts_.violations[checker] += count;
    }
    for (const auto& [name, count] : head.counts.sometimes) counts_.sometimes[name] += count;
    if (i > 0 && head.set != set_) {
      throw ScenarioError(
          files[i], "set",
          "the --set overrides of the other shards (" + nlohmann::json(set_).dump() + ")",
          nlohmann::json(head.set).dump());
    }
    set_ = std::move(head.set);
    runs_ += head.runs;
    shards_.push_back(std::move(head.shard));
    scenario_ = head.scenario;
    ++files_;
  }
  // Then merged by seed, kFanIn segments at a time, until one holds every run.
  while (segments.size() > 1) {
    std::vector<Segment> next;
    for (size_t i = 0; i < segments.size(); i += kFanIn) {
      std::vector<Segment> group(
          segments.begin() + static_cast<std::ptrdiff_t>(i),
          segments.begin() + static_cast<std::ptrdiff_t>(std::min(i + kFanIn, segments.size())));
      next.push_back(group.size() == 1 ? group[0] : merge_segments(group));
    }
    segments = std::move(next);
  }
  if (!segments.empty()) merged_ = segments[0];
}

MergedResults::~MergedResults() = default;

MergedResults::Segment MergedResults::merge_segments(const std::vector<Segment>& group) {
  auto failed = [this](int error) { scratch_failed(error); };
  std::vector<SegmentReader> readers;
  readers.reserve(group.size());
  std::vector<Record> heads(group.size());
  // The smallest seed first; of two equal ones, the earlier file's (the later one is the
  // duplicate, as when files were read one after another).
  using Key = std::tuple<uint64_t, uint32_t, size_t>;  // seed, file, reader
  std::priority_queue<Key, std::vector<Key>, std::greater<>> queue;
  for (size_t r = 0; r < group.size(); ++r) {
    readers.emplace_back(scratch_.fd, group[r].begin, group[r].end, failed);
    if (readers[r].next(heads[r])) queue.emplace(heads[r].header.seed, heads[r].header.file, r);
  }
  ScratchWriter writer(scratch_.fd, scratch_end_, failed);
  bool any = false;
  uint64_t previous = 0;
  while (!queue.empty()) {
    const size_t r = std::get<2>(queue.top());
    queue.pop();
    Record& record = heads[r];
    const RecordHeader& h = record.header;
    if (any && h.seed == previous) {
      throw ScenarioError(names_[h.file], "runs[" + std::to_string(h.index) + "].seed",
                          "a seed no other results file has (each shard merged once)",
                          std::to_string(h.seed));
    }
    any = true;
    previous = h.seed;
    writer.add(h.seed, h.index, h.file, record.json);
    if (readers[r].next(record)) queue.emplace(record.header.seed, record.header.file, r);
  }
  Segment out{scratch_end_, writer.flush()};
  scratch_end_ = out.end;
  return out;
}

void MergedResults::scratch_failed(int error) const {
  throw ScenarioError(scratch_dir_, "TMPDIR",
                      "a directory with room for merge's scratch file (about twice the size of "
                      "its inputs)",
                      std::strerror(error));
}

void MergedResults::for_each_run(const RunVisitor& visit) const {
  SegmentReader reader(scratch_.fd, merged_.begin, merged_.end,
                       [this](int error) { scratch_failed(error); });
  Record record;
  while (reader.next(record)) visit(record.header.seed, nlohmann::json::parse(record.json));
}

// Byte for byte what nlohmann's dump(2) of the whole document gives (its keys in order), written
// a run at a time.
void MergedResults::write(std::ostream& out) const {
  out << "{\n  \"ok\": " << std::to_string(counts_.ok) << ",\n  \"runs\": [";
  bool first = true;
  for_each_run([&](uint64_t, const nlohmann::json& run) {
    out << (first ? "\n    " : ",\n    ");
    write_nested(out, run, "    ");
    first = false;
  });
  out << (first ? "],\n" : "\n  ],\n");
  out << "  \"scenario\": " << nlohmann::json(scenario_).dump() << ",\n  \"set\": ";
  write_nested(out, nlohmann::json(set_), "  ");
  out << ",\n  \"shards\": ";
  write_nested(out, shards_, "  ");
  if (!counts_.sometimes.empty()) {
    out << ",\n  \"sometimes\": ";
    write_nested(out, nlohmann::json(counts_.sometimes), "  ");
  }
  out << ",\n  \"unknown\": " << std::to_string(counts_.unknown) << ",\n  \"violations\": ";
  write_nested(out, nlohmann::json(counts_.violations), "  ");
  out << "\n}\n";
}

void MergedResults::write(const std::string& path) const {
  OutputFile file(path);
  write(file.stream());
  file.commit();
}

}  // namespace faultline::run
