// A cumulative-bucket histogram as plain data, copied into snapshots and
// rendered by the exporter. Not thread-safe: the owner guards it.
#pragma once

#include <cstdint>
#include <vector>

namespace migmon {

struct HistogramData {
  HistogramData() = default;
  explicit HistogramData(std::vector<double> upper_bounds)
      : bounds(std::move(upper_bounds)), bucket_counts(bounds.size(), 0) {}

  void Observe(double value) {
    for (size_t i = 0; i < bounds.size(); ++i) {
      if (value <= bounds[i]) ++bucket_counts[i];  // cumulative: every bucket that holds it
    }
    sum += value;
    ++count;
  }

  std::vector<double> bounds;            // upper bounds, ascending; +Inf is implied
  std::vector<uint64_t> bucket_counts;   // cumulative, one per bound
  double sum = 0;
  uint64_t count = 0;
};

}  // namespace migmon
