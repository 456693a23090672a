// Text formatting shared by every client command: sizes, durations,
// timestamps and aligned tables. Pure functions: thread-safe, no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migmon::client {

// Binary units, one decimal above bytes: "512 B", "1.5 KiB", "118.3 MiB",
// "2.0 GiB", "1.1 TiB". Negative values count as 0.
std::string FormatBytes(double bytes);
// FormatBytes + "/s": "118.3 MiB/s".
std::string FormatRate(double bytes_per_second);

// Whole seconds, two units at most, as kubectl's AGE: "45s", "3m05s",
// "1h02m", "2d03h". Negative values count as 0.
std::string FormatDuration(double seconds);

// RFC 3339 as Kubernetes writes timestamps: "2024-05-01T12:00:00Z", with
// optional fractional seconds and a "Z" or "+hh:mm"/"-hh:mm" offset.
// nullopt when `text` is not one.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

// Left-aligned columns separated by three spaces, as kubectl prints them:
// one line per row after the header line, each ending in "\n", no trailing
// blanks. Rows shorter than the header get empty cells. Widths count bytes
// (the cells this client prints are ASCII).
std::string Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace migmon::client
