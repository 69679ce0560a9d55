#pragma once
// results.json (docs/outputs.md), as explore writes it and merge reads it back: every seed's
// run, then the counts. Read strictly: a run without its seed, runs out of seed order, counts that
// do not fit the runs, or a seed another file already had (a shard merged twice) is one line
// naming the file and the field.
//
// Merged as a stream (docs/limits.md): each file's runs go, one at a time, to a scratch file in
// $TMPDIR, and are merged by seed from there, so merge's memory does not grow with the shards'
// size; its disk use does (about twice their size).

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::run {

struct SeedCounts {
  uint64_t ok = 0;
  // Runs with no violation whose verdict a checker could not reach (a memory bound): not ok.
  uint64_t unknown = 0;
  // By the first checker that fired, and "error"; ordered: the file must not depend on hashing.
  std::map<std::string, uint64_t> violations;
  // The runs in which each `sometimes` property of the world (sim/sometimes.hpp) was reached, by
  // name; every run counts, failing or not.
  std::map<std::string, uint64_t> sometimes;
};

// Several results files as one.
class MergedResults {
 public:
  // Called with each merged run, in seed order, one at a time.
  using RunVisitor = std::function<void(uint64_t seed, const nlohmann::json& run)>;

  // Reads and checks every file, in order, then merges their runs by seed: every error is raised
  // here, before anything is written. Throws protocols::ScenarioError.
  explicit MergedResults(const std::vector<std::string>& files);
  ~MergedResults();  // removes the scratch file
  MergedResults(const MergedResults&) = delete;
  MergedResults& operator=(const MergedResults&) = delete;

  const std::string& scenario() const { return scenario_; }
  const SeedCounts& counts() const { return counts_; }
  uint64_t runs() const { return runs_; }
  // The `--set` overrides every shard ran with (they must agree: the reproduce commands repeat
  // them).
  const std::vector<std::string>& overrides() const { return set_; }
  size_t files() const { return files_; }

  void for_each_run(const RunVisitor& visit) const;
  // The merged document, runs in seed order, to `path` in full or not at all
  // (run/output_file.hpp). Throws std::runtime_error on an I/O error.
  void write(const std::string& path) const;
  // The same document to a stream.
  void write(std::ostream& out) const;

 private:
  struct Segment {
    uint64_t begin = 0;  // byte offsets in the scratch file
    uint64_t end = 0;
  };
  Segment merge_segments(const std::vector<Segment>& group);
  [[noreturn]] void scratch_failed(int error) const;

  std::vector<std::string> names_;  // of the files, for errors
  std::string scenario_;
  std::vector<std::string> set_;
  SeedCounts counts_;
  uint64_t runs_ = 0;
  size_t files_ = 0;
  nlohmann::json shards_ = nlohmann::json::array();
  std::string scratch_dir_;
  struct Descriptor {  // closed however the constructor ends
    int fd = -1;
    ~Descriptor();
  };
  Descriptor scratch_;  // an unlinked file: gone with the process, however it ends
  uint64_t scratch_end_ = 0;
  Segment merged_;  // every run, in seed order
};

}  // namespace faultline::run
