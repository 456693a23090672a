// Go-style durations (pollInterval, retention ttl, downtime steps). Bad text
// throws std::invalid_argument only; what parses formats back to a spelling
// that parses to the same milliseconds.
#include <chrono>
#include <stdexcept>

#include "config/duration.h"
#include "fuzz/fuzz_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = migmon::fuzz::AsText(data, size);
  std::chrono::milliseconds duration{};
  try {
    const std::chrono::nanoseconds exact = migmon::config::ParseDurationNanoseconds(text);
    duration = migmon::config::ParseDuration(text);
    if (duration != std::chrono::ceil<std::chrono::milliseconds>(exact)) {
      migmon::fuzz::Violated("ParseDuration must be ParseDurationNanoseconds rounded up to milliseconds");
    }
  } catch (const std::invalid_argument&) {
    return 0;
  }
  if (migmon::config::ParseDuration(migmon::config::FormatDuration(duration)) != duration) {
    migmon::fuzz::Violated("ParseDuration(FormatDuration(d)) != d");
  }
  return 0;
}
