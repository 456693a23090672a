#include "tracker/progress.h"

#include <gtest/gtest.h>

#include <vector>

namespace migmon {
namespace {

constexpr uint64_t MiB = 1 << 20;

JobSample Memory(uint64_t total, uint64_t remaining) {
  JobSample s;
  s.memory_total_bytes = total;
  s.memory_remaining_bytes = remaining;
  s.data_total_bytes = total;
  s.data_remaining_bytes = remaining;
  return s;
}

TEST(Progress, FirstPassFollowsRemainingMemory) {
  const double p = NextProgressRatio(0, Memory(48 * MiB, 12 * MiB), 48 * MiB);
  EXPECT_DOUBLE_EQ(0.75, p);
}

TEST(Progress, NeverGoesBackwardsOnASawTooth) {
  // Measured: a guest dirtying all of its 48 MiB under a 4 MiB/s cap. Each
  // pass falls, the next starts high again.
  const std::vector<uint64_t> remaining_mib = {48, 30, 10, 2, 41, 20, 5, 43, 25, 8, 42, 12};
  double p = 0;
  double previous = 0;
  for (uint64_t r : remaining_mib) {
    p = NextProgressRatio(p, Memory(48 * MiB, r * MiB), 48 * MiB);
    EXPECT_GE(p, previous) << "remaining " << r << " MiB";
    EXPECT_LE(p, 1.0);
    previous = p;
  }
  EXPECT_NEAR(1.0 - 2.0 / 48, p, 1e-9);  // the best level ever seen
}

TEST(Progress, BlockMigrationDiskPhaseThenMemorySurvivesGrowingDataTotal) {
  const uint64_t guest = 64 * MiB;
  const uint64_t disk = 192 * MiB;
  std::vector<JobSample> trace;
  // Disk phase: memory copy not started (libvirt reports memory_total 0),
  // data_total covers only the disk.
  for (uint64_t copied : {0ull, 48ull, 96ull, 144ull, 192ull}) {
    JobSample s;
    s.disk_total_bytes = disk;
    s.disk_processed_bytes = copied * MiB;
    s.disk_remaining_bytes = disk - copied * MiB;
    s.data_total_bytes = disk;
    s.data_remaining_bytes = disk - copied * MiB;
    s.memory_total_bytes = 0;
    trace.push_back(s);
  }
  // Memory phase: data_total grows by the guest's memory.
  for (uint64_t left : {64ull, 32ull, 8ull, 1ull}) {
    JobSample s = Memory(guest, left * MiB);
    s.disk_total_bytes = disk;
    s.disk_remaining_bytes = 0;
    s.data_total_bytes = disk + guest;
    trace.push_back(s);
  }
  double p = 0;
  std::vector<double> seen;
  for (const auto& s : trace) {
    const double next = NextProgressRatio(p, s, guest);
    EXPECT_GE(next, p);
    p = next;
    seen.push_back(p);
  }
  EXPECT_DOUBLE_EQ(0.0, seen.front());
  EXPECT_NEAR(0.75, seen[4], 1e-9);  // all of the disk, none of memory: 192 / 256
  EXPECT_NEAR(1.0 - 1.0 / 256, seen.back(), 1e-9);
}

TEST(Progress, UnknownSizesKeepThePreviousValue) {
  EXPECT_DOUBLE_EQ(0.4, NextProgressRatio(0.4, JobSample{}, 0));
}

TEST(Progress, RemainingAboveTotalClampsAtZero) {
  EXPECT_DOUBLE_EQ(0.0, NextProgressRatio(0, Memory(10 * MiB, 20 * MiB), 10 * MiB));
}

TEST(DiskRate, UsesLibvirtRateWhenGiven) {
  JobSample s;
  s.disk_bytes_per_second = 5e6;
  EXPECT_DOUBLE_EQ(5e6, *DiskRate(nullptr, s));
}

TEST(DiskRate, DerivesFromProcessedBetweenSamples) {
  JobSample a;
  a.disk_processed_bytes = 10 * MiB;
  a.sampled_at = SteadyTime{} + std::chrono::seconds(10);
  JobSample b;
  b.disk_processed_bytes = 14 * MiB;
  b.sampled_at = a.sampled_at + std::chrono::milliseconds(500);
  EXPECT_DOUBLE_EQ(8.0 * MiB, *DiskRate(&a, b));
}

TEST(DiskRate, NoRateWithoutTwoSamples) {
  JobSample b;
  b.disk_processed_bytes = 14 * MiB;
  EXPECT_FALSE(DiskRate(nullptr, b));
  JobSample same_time = b;
  EXPECT_FALSE(DiskRate(&same_time, b));
}

}  // namespace
}  // namespace migmon
