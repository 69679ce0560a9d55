#pragma once

// The picture of a linearizability check, as Porcupine's visualiser draws one and more: one row
// per process, each operation a bar from invoke to return on the history's time axis (ticks in
// its units; event positions for logs without times), operations of unknown outcome open-ended.
// For an illegal history, the longest linearizable prefix the search found is numbered in order
// with the model's state after each operation (on hover and click, and in a side list), and the
// operation that cannot be placed is marked and in view when the page opens; for a linearizable
// one, the linearization found. Keyed models get one picture per partition (key), the failing
// one first, the others selectable. Long histories show a window of operations around the
// failing one with zoom and pan, never a strip wider than the page.
//
// Self-contained HTML (inline CSS, SVG and script, nothing fetched): `faultline check --html`
// writes the page; a run's report embeds the fragment for its history (docs/check.md).

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "checkers/history.hpp"
#include "checkers/linearizability.hpp"

namespace faultline::checkers {

struct PictureOptions {
  std::string title;  // the heading: the file, or what the history is of
  // Times are nanoseconds (History::timed); otherwise event positions, labelled as such.
  bool timed = false;
  // The time shown as 0 on the axis; nullopt: the first invoke (a timed history's; positions
  // count from the log's start). A run passes 0, so that the
  // picture's times are the run's true times, as the rest of its report gives them.
  std::optional<std::int64_t> time_origin;
  // Row labels; unset: "process N".
  std::function<std::string(std::int64_t)> process_name;
  // Prefix of every element id, unique within the page that embeds the picture.
  std::string id = "lin";
};

// Bounds that keep the page small and its width fixed whatever the history's length.
inline constexpr std::size_t kPictureWindowOps = 400;  // operations drawn per partition
inline constexpr std::size_t kPicturePartitions = 24;  // partitions offered, the failing first
inline constexpr int kPictureWidth = 1000;             // the diagram's width in CSS pixels

// The picture as a fragment (a <div> with its style and script) for a page that embeds it.
void write_linearizability_picture(std::ostream& out, const std::vector<CallReturn>& calls,
                                   const CheckResult& result, const PictureOptions& options);

// A whole page holding the picture alone.
void write_linearizability_page(std::ostream& out, const std::vector<CallReturn>& calls,
                                const CheckResult& result, const PictureOptions& options);

}  // namespace faultline::checkers
