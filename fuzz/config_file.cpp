// The config file as `serve --config` and `check-config` read it: our YAML,
// optionally followed by KubeVirt CR documents. Bad input throws ConfigError
// only (its message names the key), whatever the YAML holds.
#include "config/load.h"
#include "fuzz/fuzz_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)migmon::config::ParseConfig(migmon::fuzz::AsText(data, size));
  } catch (const migmon::config::ConfigError&) {
  }
  return 0;
}
