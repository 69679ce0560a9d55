#include "run/tape_file.hpp"

#include "protocols/params.hpp"
#include "run/json_input.hpp"
#include "run/scenario.hpp"

namespace faultline::run {

TapeFile parse_tape(const std::string& file, const nlohmann::json& document) {
  protocols::Fields f(document, file, "");
  TapeFile tape;
  tape.scenario = f.required_string("scenario");
  tape.set = f.strings("set");
  tape.seed = read_seed(f, "seed", 0);
  tape.trace_hash = f.string("trace_hash", "");
  if (f.raw("untimed_steps")) {
    tape.untimed_steps = static_cast<uint64_t>(f.integer("untimed_steps", 0, 0, 1'000'000));
  }
  if (f.raw("timed_steps")) {
    tape.timed_steps = static_cast<uint64_t>(f.integer("timed_steps", 0, 0, 1'000'000));
  }
  const nlohmann::json* values = f.raw("choices");
  if (!values || !values->is_array()) f.fail("choices", "an array of choice values");
  tape.choices.values.reserve(values->size());
  for (size_t i = 0; i < values->size(); ++i) {
    if (!(*values)[i].is_number_unsigned()) {
      f.fail_at("choices[" + std::to_string(i) + "]", "a non-negative integer", (*values)[i]);
    }
    tape.choices.values.push_back((*values)[i].get<uint64_t>());
  }
  f.finish();
  return tape;
}

TapeFile read_tape(const std::string& file) {
  return parse_tape(file, read_json_file(file, "a tape.json written by faultline run"));
}

}  // namespace faultline::run
