// Go-style durations ("500ms", "1m30s", "1.5s", "2h"), as in Go's time.ParseDuration.
//
// Grammar: [+] ( <digits>[.<digits>] | .<digits> ) <unit>, repeated, with
// units ns, us, µs (U+00B5 or U+03BC), ms, s, m, h. Two deliberate differences
// from Go: a bare number, even "0", is an error (a config value without a unit
// is ambiguous), and a negative duration is an error.
//
// Thread-safety: pure functions, safe to call concurrently.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace migmon::config {

// Exact value in nanoseconds (Go's resolution). Throws std::invalid_argument
// whose message quotes `text`: not a duration, missing or unknown unit,
// negative, or larger than int64 nanoseconds (~292 years).
std::chrono::nanoseconds ParseDurationNanoseconds(std::string_view text);

// The largest result of ParseDuration: the whole milliseconds that int64
// nanoseconds hold, so every result also converts to nanoseconds exactly.
inline constexpr std::chrono::milliseconds kMaxDurationMilliseconds =
    std::chrono::floor<std::chrono::milliseconds>(std::chrono::nanoseconds::max());

// ParseDurationNanoseconds rounded UP to whole milliseconds, so a non-zero
// duration never becomes zero ("100us" is 1ms). Throws as above, and also
// when rounding up passes kMaxDurationMilliseconds.
std::chrono::milliseconds ParseDuration(std::string_view text);

// Go-parseable spelling without zero components: "500ms", "5s", "1m30s",
// "1h", "1s500ms", "0s". ParseDuration(FormatDuration(d)) == d for
// 0 <= d <= kMaxDurationMilliseconds.
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace migmon::config
