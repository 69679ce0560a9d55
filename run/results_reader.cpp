#include "run/results_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <iterator>
#include <optional>
#include <set>
#include <vector>

#include "protocols/params.hpp"
#include "run/json_input.hpp"
#include "run/scenario.hpp"

namespace faultline::run {

using protocols::Fields;
using protocols::ScenarioError;

namespace {

const char* const kWhat = "a results.json written by faultline explore";

// More bytes than the part of the file being read may take (a run, or the rest).
struct TooLarge {};

// The file's bytes through a 64 KiB buffer, counted: the reader moves `limit` as it goes from one
// part of the file to the next, and the byte past it throws TooLarge. A FIFO or /dev/zero is read
// the same way; neither is ever held whole.
class ByteSource {
 public:
  ByteSource(const std::string& file) {
    std::error_code error;
    std::filesystem::file_status status = std::filesystem::status(file, error);
    if (error || !std::filesystem::exists(status))
      throw ScenarioError(file, "", kWhat, "no such file");
    if (std::filesystem::is_directory(status)) throw ScenarioError(file, "", kWhat, "a directory");
    fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw ScenarioError(file, "", kWhat, "a file that cannot be read");
  }
  ~ByteSource() { ::close(fd_); }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  bool at_end() {
    if (pos_ == len_) fill();
    return pos_ == len_;
  }
  char peek() { return buffer_[pos_]; }
  void advance() {
    if (++consumed_ > limit_) throw TooLarge{};
    ++pos_;
  }
  bool failed() const { return failed_; }
  uint64_t consumed() const { return consumed_; }
  void set_limit(uint64_t limit) { limit_ = limit; }

 private:
  void fill() {
    pos_ = len_ = 0;
    if (failed_) return;
    for (;;) {
      ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) failed_ = true;  // ends the input here; the caller reports the file unreadable
      len_ = n > 0 ? static_cast<size_t>(n) : 0;
      return;
    }
  }

  int fd_ = -1;
  std::vector<char> buffer_ = std::vector<char>(65536);
  size_t pos_ = 0;
  size_t len_ = 0;
  uint64_t consumed_ = 0;
  uint64_t limit_ = 0;
  bool failed_ = false;
};

// The input iterator nlohmann's parser reads a ByteSource through; the default one is the end.
class SourceIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  SourceIterator() = default;
  explicit SourceIterator(ByteSource& source) : source_(&source) {}
  char operator*() const { return source_->peek(); }
  SourceIterator& operator++() {
    source_->advance();
    return *this;
  }
  bool operator==(const SourceIterator& other) const { return at_end() == other.at_end(); }
  bool operator!=(const SourceIterator& other) const { return !(*this == other); }

 private:
  bool at_end() const { return source_ == nullptr || source_->at_end(); }
  ByteSource* source_ = nullptr;
};

// "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> from "at line" on,
// as run/json_input.cpp words it for a whole document.
std::string parser_message(const std::exception& e) {
  std::string what = e.what();
  size_t at = what.find("at line");
  if (at != std::string::npos) return "a syntax error " + what.substr(at);
  size_t close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

uint64_t read_count(Fields& f, const std::string& key, uint64_t most) {
  const nlohmann::json* v = f.raw(key);
  if (!v || !v->is_number_unsigned() || v->get<uint64_t>() > most) {
    f.fail(key, "a count of runs from 0 to " + std::to_string(most));
  }
  return v->get<uint64_t>();
}

// nlohmann's SAX events for one results file. It follows the path of the value being read (for
// errors, and the bounds json_input.hpp puts on every document), builds each run and each field
// of the head into a value of its own, and hands each run on as soon as it is complete. The head
// fields and the first wrong run are judged once the whole file has parsed, in the order the
// whole-document reader judged them: a syntax error anywhere comes first.
class ResultsSax {
 public:
  ResultsSax(const std::string& file, ByteSource& source, const ResultsRunSink& on_run)
      : file_(file), source_(source), on_run_(on_run) {
    source_.set_limit(kMaxResultsHeadBytes);
  }

  bool null() { return scalar(nullptr); }
  bool boolean(bool v) { return scalar(v); }
  bool number_integer(int64_t v) { return scalar(v); }
  bool number_unsigned(uint64_t v) { return scalar(v); }
  bool number_float(double v, const std::string&) { return scalar(v); }
  bool string(std::string& v) { return scalar(std::move(v)); }
  bool binary(nlohmann::json::binary_t& v) { return scalar(std::move(v)); }

  bool start_object(size_t) { return start(true); }
  bool start_array(size_t) { return start(false); }
  bool end_object() { return end(); }
  bool end_array() { return end(); }

  bool key(std::string& key) {
    Frame& top = frames_.back();
    top.key = key;
    if (!top.keys.insert(key).second) {
      throw ScenarioError(file_, child_path(), "each key once in an object",
                          "a second \"" + key + "\"");
    }
    return true;
  }

  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception& e) {
    // A read error ends the input early: that is no syntax error of the file's.
    if (source_.failed()) throw ScenarioError(file_, "", kWhat, "a file that cannot be read");
    // out_of_range.406: a number such as 1e400 that no double holds.
    if (dynamic_cast<const nlohmann::json::parse_error*>(&e) == nullptr) {
      throw ScenarioError(file_, "", "a number a double can hold", parser_message(e));
    }
    throw ScenarioError(file_, "", "valid JSON (UTF-8)", parser_message(e));
  }

  // Called when the parse ended at a byte past a bound.
  [[noreturn]] void too_large() const {
    if (in_runs_) {
      throw ScenarioError(
          file_, "runs[" + std::to_string(frames_[1].index) + "]",
          "a run of at most " + std::to_string(kMaxResultsRunBytes >> 20) + " MiB of JSON", "more");
    }
    throw ScenarioError(file_, "",
                        std::string(kWhat) + ", of at most " +
                            std::to_string(kMaxResultsHeadBytes >> 20) + " MiB besides its runs",
                        "more");
  }

  // Judges the file once it has parsed whole.
  ResultsHead finish(const std::string* scenario) {
    if (!document_is_object_) Fields(document_, file_, "");  // throws: not an object
    Fields f(head_, file_, "");
    ResultsHead out;
    out.scenario = f.required_string("scenario");
    if (scenario && out.scenario != *scenario) {
      f.fail("scenario", "the same scenario as the other shards (\"" + *scenario + "\")");
    }
    if (!runs_read_) f.fail("runs", "an array of runs");
    if (first_bad_run_) throw *first_bad_run_;
    // The counts must fit the runs: a hand-edited file could otherwise wrap the totals. A seed
    // counts for every checker that fired on it (docs/outputs.md), so each checker counts at most
    // the seeds that are not ok, and together they count each of those at least once.
    const uint64_t total = runs_;
    const uint64_t ok = read_count(f, "ok", total);
    // Runs no checker decided: absent in files written before it was counted.
    const uint64_t unknown = f.raw("unknown") ? read_count(f, "unknown", total - ok) : 0;
    const uint64_t failing = total - ok - unknown;
    uint64_t counted = 0;  // up to `failing`
    const nlohmann::json* by_checker = f.raw("violations");
    if (!by_checker || !by_checker->is_object()) {
      f.fail("violations", "an object of run counts by checker");
    }
    Fields violations(*by_checker, file_, "violations");
    for (const auto& [checker, count] : by_checker->items()) {
      counted += std::min(read_count(violations, checker, failing), failing - counted);
    }
    if (counted != failing) {
      f.fail("ok", "with unknown and the violations, one count per run at least (" +
                       std::to_string(total) +
                       " runs; a seed on which two checkers fired counts for both)");
    }
    for (const auto& [checker, count] : by_checker->items()) {
      out.counts.violations[checker] += count.get<uint64_t>();
    }
    out.counts.ok = ok;
    out.counts.unknown = unknown;
    // Each `sometimes` property: the runs that reached it, at most every run.
    if (const nlohmann::json* sometimes = f.raw("sometimes")) {
      if (!sometimes->is_object()) f.fail("sometimes", "an object of run counts by property");
      Fields reached(*sometimes, file_, "sometimes");
      for (const auto& [name, count] : sometimes->items())
        out.counts.sometimes[name] = read_count(reached, name, total);
    }
    out.shard = head_.value("shard", nlohmann::json());
    if (const nlohmann::json* set = f.raw("set")) {
      bool strings = set->is_array();
      for (const nlohmann::json& o : strings ? *set : nlohmann::json::array()) {
        strings = strings && o.is_string();
        if (strings) out.set.push_back(o.get<std::string>());
      }
      if (!strings) f.fail("set", "an array of --set overrides");
    }
    out.runs = total;
    return out;
  }

 private:
  struct Frame {
    bool object;
    std::string path;
    size_t index = 0;  // in an array: of the element being read
    std::set<std::string> keys;
    std::string key;  // in an object: of the value being read
  };
  enum class Part { kSkipped, kDocument, kHead, kRun };

  std::string child_path() const {
    if (frames_.empty()) return "";
    const Frame& top = frames_.back();
    if (top.object) return top.path.empty() ? top.key : top.path + "." + top.key;
    return top.path + "[" + std::to_string(top.index) + "]";
  }

  // What the value starting now is, when it is not inside one being built already.
  void value_starts(bool is_object, bool is_array) {
    if (building_) return;
    if (frames_.empty()) {
      if (is_object) {
        document_is_object_ = true;
      } else {
        begin_building(Part::kDocument);
      }
    } else if (frames_.size() == 1 && frames_[0].object) {
      const std::string& key = frames_[0].key;
      if (key == "runs" && is_array) {
        entering_runs_ = true;
      } else if (key == "scenario" || key == "ok" || key == "unknown" || key == "violations" ||
                 key == "shard" || key == "set" || key == "runs" || key == "sometimes") {
        begin_building(Part::kHead);
      }
    } else if (in_runs_ && frames_.size() == 2) {
      source_.set_limit(source_.consumed() + kMaxResultsRunBytes);
      // After a wrong run the rest are only counted: the file is refused anyway.
      if (!first_bad_run_) begin_building(Part::kRun);
    }
  }

  void begin_building(Part part) {
    building_ = true;
    part_ = part;
    built_ = nlohmann::json();
    stack_.clear();
  }

  // Puts `v` where the value being built expects it; returns where it went.
  nlohmann::json* place(nlohmann::json&& v) {
    if (stack_.empty()) {
      built_ = std::move(v);
      return &built_;
    }
    nlohmann::json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    nlohmann::json& slot = parent[frames_.back().key];
    slot = std::move(v);
    return &slot;
  }

  bool scalar(nlohmann::json&& v) {
    value_starts(false, false);
    if (building_) {
      place(std::move(v));
      if (stack_.empty()) value_built();
    }
    value_ends();
    return true;
  }

  bool start(bool object) {
    if (frames_.size() >= kMaxJsonDepth) {
      throw ScenarioError(
          file_, child_path(),
          "at most " + std::to_string(kMaxJsonDepth) + " levels of nested arrays and objects",
          "deeper nesting");
    }
    value_starts(object, !object);
    if (building_) {
      stack_.push_back(place(object ? nlohmann::json::object() : nlohmann::json::array()));
    }
    frames_.push_back(Frame{object, child_path(), 0, {}, ""});
    if (entering_runs_) {
      entering_runs_ = false;
      in_runs_ = runs_read_ = true;
      head_bytes_ += source_.consumed() - head_since_;
      source_.set_limit(source_.consumed() + kMaxResultsRunBytes);
    }
    return true;
  }

  bool end() {
    frames_.pop_back();
    if (building_) {
      stack_.pop_back();
      if (stack_.empty()) value_built();
    }
    if (in_runs_ && frames_.size() == 1) {
      // The end of the runs: the rest of the file shares the head's bound.
      in_runs_ = false;
      head_since_ = source_.consumed();
      source_.set_limit(head_since_ + (kMaxResultsHeadBytes - head_bytes_));
    }
    value_ends();
    return true;
  }

  // After a value at any depth: the next element of the enclosing array.
  void value_ends() {
    if (frames_.empty()) return;
    Frame& top = frames_.back();
    if (!top.object) ++top.index;
    if (in_runs_ && frames_.size() == 2) {
      runs_ = top.index;
      source_.set_limit(source_.consumed() + kMaxResultsRunBytes);
    }
  }

  void value_built() {
    building_ = false;
    switch (part_) {
      case Part::kDocument:
        document_ = std::move(built_);
        break;
      case Part::kHead:
        head_[frames_[0].key] = std::move(built_);
        break;
      case Part::kRun:
        take_run();
        break;
      case Part::kSkipped:
        break;
    }
  }

  void take_run() {
    const uint64_t index = frames_[1].index;
    try {
      Fields run(built_, file_, "runs[" + std::to_string(index) + "]");
      if (!run.has("seed")) run.fail("seed", "a seed (this field is required)");
      const uint64_t seed = read_seed(run, "seed", 0);
      if (previous_seed_ && seed <= *previous_seed_) {
        run.fail("seed", "a seed above the previous run's (" + std::to_string(*previous_seed_) +
                             "): explore writes its runs in seed order");
      }
      previous_seed_ = seed;
      on_run_(seed, index, built_);
    } catch (const ScenarioError& e) {
      first_bad_run_ = e;
    }
  }

  const std::string& file_;
  ByteSource& source_;
  const ResultsRunSink& on_run_;

  std::vector<Frame> frames_;
  // The value being built: a run, a field of the head, or a document that is not an object.
  bool building_ = false;
  Part part_ = Part::kSkipped;
  nlohmann::json built_;
  std::vector<nlohmann::json*> stack_;

  bool document_is_object_ = false;
  nlohmann::json document_;
  nlohmann::json head_ = nlohmann::json::object();
  bool entering_runs_ = false;
  bool in_runs_ = false;
  bool runs_read_ = false;
  uint64_t runs_ = 0;
  uint64_t head_bytes_ = 0;  // read outside the runs before them
  uint64_t head_since_ = 0;  // where the head's bytes after the runs begin
  std::optional<uint64_t> previous_seed_;
  std::optional<ScenarioError> first_bad_run_;
};

}  // namespace

ResultsHead read_results_file(const std::string& file, const std::string* scenario,
                              const ResultsRunSink& on_run) {
  ByteSource source(file);
  ResultsSax sax(file, source, on_run);
  try {
    nlohmann::json::sax_parse(SourceIterator(source), SourceIterator(), &sax);
  } catch (const TooLarge&) {
    sax.too_large();
  }
  if (source.failed()) throw ScenarioError(file, "", kWhat, "a file that cannot be read");
  return sax.finish(scenario);
}

}  // namespace faultline::run
