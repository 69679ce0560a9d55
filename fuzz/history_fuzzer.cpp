// Any bytes as a history for `faultline check`, in every format: the readers must answer with
// checkers::InputError or a history, nothing else.
#include "checkers/history_formats.hpp"
#include "checkers/input_error.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultline::checkers;
  const std::string text = faultline::fuzz::as_text(data, size);
  for (HistoryFormat format :
       {HistoryFormat::automatic, HistoryFormat::jsonl, HistoryFormat::etcd, HistoryFormat::edn}) {
    try {
      History history = parse_history(text, "history", format);
      (void)pair_calls(history);
    } catch (const InputError&) {
    }
  }
  return 0;
}
