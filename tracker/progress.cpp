#include "tracker/progress.h"

#include <algorithm>
#include <chrono>

namespace migmon {

double NextProgressRatio(double previous, const JobSample& s, uint64_t guest_memory_bytes) {
  const uint64_t disk_total = s.disk_total_bytes.value_or(0);
  const bool memory_started = s.memory_total_bytes.value_or(0) > 0;
  uint64_t memory_total = guest_memory_bytes;
  if (memory_total == 0) memory_total = s.memory_total_bytes.value_or(0);
  const double expected = static_cast<double>(memory_total + disk_total);
  if (expected <= 0) return previous;

  const uint64_t memory_left = memory_started
                                   ? std::min(s.memory_remaining_bytes.value_or(memory_total), memory_total)
                                   : memory_total;
  const uint64_t disk_left = std::min(s.disk_remaining_bytes.value_or(0), disk_total);
  const double raw = std::clamp(1.0 - static_cast<double>(memory_left + disk_left) / expected, 0.0, 1.0);
  return std::max(previous, raw);
}

std::optional<double> DiskRate(const JobSample* previous, const JobSample& current) {
  if (current.disk_bytes_per_second && *current.disk_bytes_per_second > 0) {
    return current.disk_bytes_per_second;
  }
  if (!previous || !previous->disk_processed_bytes || !current.disk_processed_bytes) {
    return current.disk_bytes_per_second;
  }
  const double seconds =
      std::chrono::duration<double>(current.sampled_at - previous->sampled_at).count();
  if (seconds <= 0 || *current.disk_processed_bytes < *previous->disk_processed_bytes) {
    return std::nullopt;
  }
  return static_cast<double>(*current.disk_processed_bytes - *previous->disk_processed_bytes) / seconds;
}

}  // namespace migmon
