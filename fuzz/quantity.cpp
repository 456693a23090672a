// Kubernetes quantities (bandwidthPerMigration, memoryReserve, maxRequestBytes
// in the config and the KubeVirt CR). Bad text throws std::invalid_argument
// only; what parses formats back to a spelling that parses to the same value.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "config/quantity.h"
#include "fuzz/fuzz_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint64_t bytes = 0;
  try {
    bytes = migmon::config::ParseQuantity(migmon::fuzz::AsText(data, size));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  if (migmon::config::ParseQuantity(migmon::config::FormatQuantity(bytes)) != bytes) {
    migmon::fuzz::Violated("ParseQuantity(FormatQuantity(b)) != b");
  }
  return 0;
}
