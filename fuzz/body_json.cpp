// Request bodies as a client sends them with Content-Type: application/json:
// decoding, then admission of whatever decodes. Neither may throw, crash,
// recurse without bound or take more than the fuzzer's time and memory limits.
#include "fuzz/fuzz_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  migmon::fuzz::CheckBody(migmon::fuzz::AsText(data, size), "application/json");
  return 0;
}
