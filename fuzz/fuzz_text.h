// What every harness in fuzz/ shares: libFuzzer's bytes seen as text.
// Header-only; each harness is its own executable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace migmon::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Stops the fuzzer with a message when an invariant of the parser under test
// does not hold; libFuzzer saves the input as a crash.
[[noreturn]] void Violated(const char* what);

}  // namespace migmon::fuzz
