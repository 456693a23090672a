// Plain values that flow from the hypervisor stage to the tracker stage.
//
// Contract: every quantity is already in base units (bytes, seconds, bytes per
// second, ratio 0..1). Conversion from libvirt's typed parameters happens once,
// in hypervisor/job_stats.cpp; nothing downstream knows libvirt's units.
// An absent field means libvirt did not report it (not zero).
// These are value types: copy them freely between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace migmon {

using SteadyTime = std::chrono::steady_clock::time_point;

// libvirt's virDomainJobType, in our words.
enum class JobType { kNone, kBounded, kUnbounded, kCompleted, kFailed, kCancelled };

// libvirt's virDomainJobOperation subset we care about.
enum class JobOperation { kUnknown, kMigrationOut, kMigrationIn, kOther };

struct JobSample {
  SteadyTime sampled_at{};
  JobType type = JobType::kNone;
  JobOperation operation = JobOperation::kUnknown;

  std::optional<double> elapsed_seconds;
  // libvirt "downtime": while running, what QEMU expects a switchover now to
  // take; in a completed job's stats, the guest's real pause.
  std::optional<double> expected_downtime_seconds;
  std::optional<double> downtime_net_seconds;  // completed jobs: the pause less the hosts' clock skew
  std::optional<double> setup_seconds;         // time before the first byte was sent

  std::optional<uint64_t> data_total_bytes;
  std::optional<uint64_t> data_processed_bytes;
  std::optional<uint64_t> data_remaining_bytes;
  std::optional<uint64_t> memory_total_bytes;
  std::optional<uint64_t> memory_processed_bytes;
  std::optional<uint64_t> memory_remaining_bytes;
  std::optional<uint64_t> disk_total_bytes;
  std::optional<uint64_t> disk_processed_bytes;
  std::optional<uint64_t> disk_remaining_bytes;

  std::optional<double> memory_bytes_per_second;
  std::optional<double> disk_bytes_per_second;
  std::optional<double> dirty_bytes_per_second;  // pages/s x page size
  std::optional<uint64_t> memory_iteration;
  std::optional<uint64_t> postcopy_requests;
  std::optional<double> auto_converge_throttle_ratio;  // percent / 100

  // Not a job statistic: libvirt's allowed downtime for this migration
  // (virDomainMigrateGetMaxDowntime), read with each sample.
  std::optional<double> allowed_downtime_seconds;
  // Not a job statistic either: the migration's speed limit
  // (virDomainMigrateGetMaxSpeed), absent when unlimited or unknown.
  std::optional<double> bandwidth_limit_bytes_per_second;

  // Only for completed jobs.
  std::optional<bool> success;
  std::optional<std::string> error_message;
};

// Identifies a domain on one managed node. The UUID is the stable key: a
// domain keeps it across a migration, which is how source and target are joined.
struct DomainRef {
  std::string node;
  std::string uuid;
  std::string name;
};

}  // namespace migmon
