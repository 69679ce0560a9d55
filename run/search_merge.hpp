#pragma once
// The search.json of every shard of one exhaustive search (`explore --shard I/N` of a spec-level
// model or of a protocol's untimed world; base/shard.hpp) as one summary, for `faultline merge`.
// Read strictly: shards of different scenarios, models, variants, parameters, strategies or
// bounds, a shard missing or given twice, are each one line naming the file and the field.
//
// The merged summary sums the shards' generated states, and their distinct states as
// `distinct_states_sum`: a state reachable from the states of two shards is stored by both, so
// the sum may exceed what one unsharded search stores. It is `exhausted` only when every shard
// is; its violation is the shortest any shard found; a `sometimes` property is reached when some
// shard reached it, at the shallowest depth any did.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::run {

// Whether `file` is a search summary (search.json) rather than a seed sweep's results.json: its
// first key. A search.json is written with its keys sorted, "bounds" first; results.json starts
// with "scenario" (explore) or "ok" (merge). Reads the file's first bytes only.
bool is_search_summary_file(const std::string& file);

// The shards' summaries as one (above). Throws protocols::ScenarioError.
nlohmann::json merge_search_files(const std::vector<std::string>& files);

}  // namespace faultline::run
