// Figures every stage reads the same way from a JobSample. Pure; thread-safe.
#pragma once

#include <optional>

#include "samples/job_sample.h"

namespace migmon {

// The level of a migration: data_remaining, or memory + disk remaining when
// libvirt leaves it out; nullopt while data_total is still 0 (right after the
// job starts libvirt reports zeros, and every later level would look like a
// step back from 0).
inline std::optional<uint64_t> RemainingLevel(const JobSample& s) {
  if (s.data_total_bytes && *s.data_total_bytes == 0) return std::nullopt;
  if (s.data_remaining_bytes) return s.data_remaining_bytes;
  if (!s.memory_remaining_bytes && !s.disk_remaining_bytes) return std::nullopt;
  return s.memory_remaining_bytes.value_or(0) + s.disk_remaining_bytes.value_or(0);
}

// Bytes actually sent so far (memory and disks): data_processed, or the sum
// of its parts. Zero pages the migration skips are not in it.
inline uint64_t SentBytes(const JobSample& s) {
  if (s.data_processed_bytes) return *s.data_processed_bytes;
  return s.memory_processed_bytes.value_or(0) + s.disk_processed_bytes.value_or(0);
}

// A smoothed rate: the exponential moving average with weight `alpha` on
// the latest `bytes` over `seconds`; the previous value when no time passed.
inline std::optional<double> SmoothRate(std::optional<double> previous, uint64_t bytes, double seconds,
                                        double alpha) {
  if (seconds <= 0) return previous;
  const double rate = static_cast<double>(bytes) / seconds;
  return previous ? alpha * rate + (1 - alpha) * *previous : rate;
}

}  // namespace migmon
