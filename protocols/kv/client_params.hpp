#pragma once
// The scenario parameters of the kv client workload (operations, keys, the mix of gets, puts and
// appends, and its timing), read strictly, for every replicated log that serves protocols/kv.

#include "protocols/kv/client.hpp"
#include "protocols/params.hpp"

namespace faultline::protocols::kv {

void read_kv_client_params(Fields& params, KvClientOptions& options);

}  // namespace faultline::protocols::kv
