// The config file with a KubeVirt CR from --kubevirt FILE. The input is the
// config text, a NUL byte, then the CR text (no NUL: the CR text is empty).
// Bad input throws ConfigError only.
#include <string_view>

#include "config/load.h"
#include "fuzz/fuzz_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = migmon::fuzz::AsText(data, size);
  const size_t split = input.find('\0');
  const std::string_view config = input.substr(0, split);
  const std::string_view kubevirt = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  try {
    (void)migmon::config::ParseConfig(config, kubevirt);
  } catch (const migmon::config::ConfigError&) {
  }
  return 0;
}
