// Request bodies sent with Content-Type: application/yaml (kubectl create -f
// with a YAML file): anchors, aliases, tags, several documents, bad UTF-8.
#include "fuzz/fuzz_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  migmon::fuzz::CheckBody(migmon::fuzz::AsText(data, size), "application/yaml");
  return 0;
}
