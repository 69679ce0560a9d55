#include "run/search_merge.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>

#include "protocols/params.hpp"
#include "run/json_input.hpp"

namespace faultline::run {

using protocols::ScenarioError;

namespace {

constexpr const char* kWhat = "a search.json written by explore --shard I/N";

// What makes two files shards of one search: each must have the same value (or lack it alike).
constexpr const char* kSameSearch[] = {"scenario", "model",    "protocol", "variant",
                                       "params",   "strategy", "symmetry", "time",
                                       "bounds",   "checkers", "left_out"};

uint64_t count_at(const std::string& file, const nlohmann::json& doc, const std::string& field) {
  const nlohmann::json* v = &doc;
  std::string path;
  for (size_t start = 0; start <= field.size();) {
    const size_t dot = std::min(field.find('.', start), field.size());
    const std::string key = field.substr(start, dot - start);
    if (!v->is_object() || !v->contains(key)) {
      throw ScenarioError(file, field, std::string("a count (") + kWhat + ")", "nothing");
    }
    v = &(*v)[key];
    start = dot + 1;
  }
  if (!v->is_number_unsigned()) {
    throw ScenarioError(file, field, "a count (a whole number >= 0)", protocols::describe_json(*v));
  }
  return v->get<uint64_t>();
}

bool flag_at(const std::string& file, const nlohmann::json& doc, const std::string& field) {
  if (!doc.contains(field) || !doc[field].is_boolean()) {
    throw ScenarioError(file, field, "true or false",
                        doc.contains(field) ? protocols::describe_json(doc[field]) : "nothing");
  }
  return doc[field].get<bool>();
}

const nlohmann::json& object_at(const std::string& file, const nlohmann::json& doc,
                                const std::string& field) {
  if (!doc.contains(field) || !doc[field].is_object()) {
    throw ScenarioError(file, field, "an object",
                        doc.contains(field) ? protocols::describe_json(doc[field]) : "nothing");
  }
  return doc[field];
}

// A violation's length: a protocol's in steps, a model's path in states less the first.
uint64_t violation_length(const nlohmann::json& v) {
  if (v.contains("steps") && v["steps"].is_number_unsigned()) return v["steps"].get<uint64_t>();
  if (v.contains("path") && v["path"].is_array()) return v["path"].size();
  return UINT64_MAX;
}

struct Shard {
  std::string file;
  nlohmann::json doc;
  uint64_t index = 0;
};

}  // namespace

bool is_search_summary_file(const std::string& file) {
  std::ifstream in = open_input_file(file, "a results.json or a search.json");
  char head[64] = {};
  in.read(head, sizeof head - 1);
  const std::string text(head, static_cast<size_t>(in.gcount()));
  const size_t quote = text.find('"');
  return quote != std::string::npos && text.compare(quote, 8, "\"bounds\"") == 0 &&
         text.find_first_not_of("{ \t\r\n") == quote;
}

nlohmann::json merge_search_files(const std::vector<std::string>& files) {
  std::vector<Shard> shards;
  uint64_t count = 0;
  for (const std::string& file : files) {
    Shard shard{file, read_json_file(file, kWhat), 0};
    const nlohmann::json& doc = shard.doc;
    if (!doc.is_object()) {
      throw ScenarioError(file, "", std::string("an object (") + kWhat + ")",
                          protocols::describe_json(doc));
    }
    object_at(file, doc, "shard");
    shard.index = count_at(file, doc, "shard.index");
    const uint64_t its_count = count_at(file, doc, "shard.count");
    if (shard.index < 1 || shard.index > its_count) {
      throw ScenarioError(file, "shard.index", "1.." + std::to_string(its_count),
                          std::to_string(shard.index));
    }
    for (const char* field : {"distinct_states", "generated_states", "depth"}) {
      count_at(file, doc, field);
    }
    flag_at(file, doc, "exhausted");
    if (!shards.empty()) {
      const Shard& first = shards.front();
      if (its_count != count) {
        throw ScenarioError(file, "shard.count",
                            std::to_string(count) + ", as " + first.file + " has it",
                            std::to_string(its_count));
      }
      for (const char* field : kSameSearch) {
        const bool here = doc.contains(field), there = first.doc.contains(field);
        if (here != there || (here && doc[field] != first.doc[field])) {
          throw ScenarioError(
              file, field,
              "the same search as " + first.file + " (" +
                  (there ? protocols::describe_json(first.doc[field]) : std::string("none")) + ")",
              here ? protocols::describe_json(doc[field]) : "none");
        }
      }
      // The shards computed where to split alike, or they are not shards of one search.
      for (const char* field : {"split_depth", "split_states"}) {
        if (doc["shard"].value(field, nlohmann::json()) !=
            first.doc["shard"].value(field, nlohmann::json())) {
          throw ScenarioError(
              file, std::string("shard.") + field,
              "the split " + first.file +
                  " made (the same search, build and "
                  "shard count)",
              protocols::describe_json(doc["shard"].value(field, nlohmann::json())));
        }
      }
      for (const Shard& other : shards) {
        if (other.index == shard.index) {
          throw ScenarioError(file, "shard.index",
                              "a shard no other file is (" + other.file + " is shard " +
                                  std::to_string(shard.index) + "/" + std::to_string(count) + ")",
                              std::to_string(shard.index));
        }
      }
    }
    count = its_count;
    shards.push_back(std::move(shard));
  }
  if (shards.empty()) throw ScenarioError("", "results", kWhat, "no file");
  if (shards.size() != count) {
    std::vector<bool> have(count + 1, false);
    for (const Shard& s : shards) have[s.index] = true;
    uint64_t missing = 1;
    while (have[missing]) ++missing;
    throw ScenarioError(shards.front().file, "shard.count",
                        "all " + std::to_string(count) + " shards' search.json",
                        "no shard " + std::to_string(missing) + "/" + std::to_string(count));
  }
  std::sort(shards.begin(), shards.end(),
            [](const Shard& a, const Shard& b) { return a.index < b.index; });

  const nlohmann::json& first = shards.front().doc;
  nlohmann::json out = nlohmann::json::object();
  for (const char* field : kSameSearch) {
    if (first.contains(field)) out[field] = first[field];
  }
  uint64_t distinct = 0, generated = 0, depth = 0, replays = 0;
  bool exhausted = true;
  nlohmann::json cut_by;
  std::map<std::string, uint64_t> coverage;
  nlohmann::json sometimes = nlohmann::json::object();
  std::optional<size_t> shortest;  // the shard whose violation is shortest
  nlohmann::json per_shard = nlohmann::json::array();
  for (size_t i = 0; i < shards.size(); ++i) {
    const nlohmann::json& doc = shards[i].doc;
    distinct += doc["distinct_states"].get<uint64_t>();
    generated += doc["generated_states"].get<uint64_t>();
    depth = std::max(depth, doc["depth"].get<uint64_t>());
    if (doc.contains("replays") && doc["replays"].is_number_unsigned()) {
      replays += doc["replays"].get<uint64_t>();
    }
    exhausted = exhausted && doc["exhausted"].get<bool>();
    if (cut_by.is_null() && doc.contains("cut_by") && doc["cut_by"].is_string()) {
      cut_by = doc["cut_by"];
    }
    if (doc.contains("coverage") && doc["coverage"].is_object()) {
      for (auto it = doc["coverage"].begin(); it != doc["coverage"].end(); ++it) {
        coverage[it.key()] += it.value().is_number_unsigned() ? it.value().get<uint64_t>() : 0;
      }
    }
    if (doc.contains("sometimes") && doc["sometimes"].is_object()) {
      for (auto it = doc["sometimes"].begin(); it != doc["sometimes"].end(); ++it) {
        const nlohmann::json& s = it.value();
        const bool reached = s.is_object() && s.value("reached", false);
        nlohmann::json& merged = sometimes[it.key()];
        if (merged.is_null()) merged = {{"reached", false}, {"depth", nullptr}};
        if (!reached) continue;
        const nlohmann::json at = s.value("depth", nlohmann::json());
        if (!merged["reached"].get<bool>()) {
          merged = {{"reached", true}, {"depth", at}};
        } else if (at.is_number_unsigned() &&
                   (!merged["depth"].is_number_unsigned() ||
                    at.get<uint64_t>() < merged["depth"].get<uint64_t>())) {
          merged["depth"] = at;
        }
      }
    }
    const bool violated = doc.contains("violation") && doc["violation"].is_object();
    if (violated && (!shortest || violation_length(doc["violation"]) <
                                      violation_length(shards[*shortest].doc["violation"]))) {
      shortest = i;
    }
    per_shard.push_back({{"file", shards[i].file},
                         {"index", shards[i].index},
                         {"owned", doc["shard"].value("owned", nlohmann::json())},
                         {"distinct_states", doc["distinct_states"]},
                         {"generated_states", doc["generated_states"]},
                         {"depth", doc["depth"]},
                         {"exhausted", doc["exhausted"]},
                         {"cut_by", doc.value("cut_by", nlohmann::json())},
                         {"violation", violated}});
  }
  nlohmann::json never = nlohmann::json::array();
  if (first.contains("never_fired")) {
    for (const auto& [family, fired] : coverage) {
      if (fired == 0) never.push_back(family);
    }
  }
  out["shards"] = per_shard;
  out["shard_count"] = count;
  out["split_depth"] = first["shard"].value("split_depth", nlohmann::json());
  out["split_states"] = first["shard"].value("split_states", nlohmann::json());
  out["distinct_states_sum"] = distinct;
  out["generated_states"] = generated;
  out["depth"] = depth;
  out["exhausted"] = exhausted;
  out["cut_by"] = shortest ? nlohmann::json("violation") : cut_by;
  out["coverage"] = coverage;
  if (first.contains("never_fired")) out["never_fired"] = never;
  if (first.contains("replays")) out["replays"] = replays;
  out["sometimes"] = sometimes;
  out["violation"] = nullptr;
  if (shortest) {
    out["violation"] = shards[*shortest].doc["violation"];
    out["violation"]["shard"] = shards[*shortest].index;
  }
  return out;
}

}  // namespace faultline::run
