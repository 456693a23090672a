// libvirt's numbers and job-stats field names as plain constants, and the
// pure conversions from them into the watcher's values. The live session
// (session.cpp, job_stats.cpp) and the fixture replays (tests/) both go
// through these functions; static_asserts in those .cpp files check every
// constant against <libvirt/libvirt.h>.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hypervisor/domain_event.h"
#include "hypervisor/node_session.h"
#include "samples/job_sample.h"

namespace migmon::hv::code {

// virDomainEventType and the details we use.
constexpr int kEventStarted = 2, kEventSuspended = 3, kEventResumed = 4, kEventStopped = 5;
constexpr int kStartedMigrated = 1, kResumedMigrated = 1, kStoppedMigrated = 3;
constexpr int kSuspendedPostCopy = 7, kSuspendedPostCopyFailed = 8;
// virDomainState and the reasons we use.
constexpr int kStateRunning = 1, kStateBlocked = 2, kStatePaused = 3, kStateShutdown = 4,
              kStateShutOff = 5, kStateCrashed = 6, kStatePmSuspended = 7;
constexpr int kPausedPostCopy = 12, kPausedPostCopyFailed = 13, kShutOffMigrated = 4;
// virErrorNumber values that change the meaning of a failed call.
constexpr int kErrNoDomain = 42, kErrOperationUnsupported = 84;
// virDomainJobType and virDomainJobOperation.
constexpr int kJobNone = 0, kJobBounded = 1, kJobUnbounded = 2, kJobCompleted = 3, kJobFailed = 4,
              kJobCancelled = 5;
constexpr int kOperationUnknown = 0, kOperationMigrationIn = 4, kOperationMigrationOut = 5;

// Job-stats field names (VIR_DOMAIN_JOB_*), as they appear in fixtures too.
inline constexpr const char* kOperation = "operation";
inline constexpr const char* kTimeElapsed = "time_elapsed";
inline constexpr const char* kDowntime = "downtime";
inline constexpr const char* kSetupTime = "setup_time";
inline constexpr const char* kDowntimeNet = "downtime_net";
inline constexpr const char* kDataTotal = "data_total";
inline constexpr const char* kDataProcessed = "data_processed";
inline constexpr const char* kDataRemaining = "data_remaining";
inline constexpr const char* kMemoryTotal = "memory_total";
inline constexpr const char* kMemoryProcessed = "memory_processed";
inline constexpr const char* kMemoryRemaining = "memory_remaining";
inline constexpr const char* kDiskTotal = "disk_total";
inline constexpr const char* kDiskProcessed = "disk_processed";
inline constexpr const char* kDiskRemaining = "disk_remaining";
inline constexpr const char* kMemoryBps = "memory_bps";
inline constexpr const char* kDiskBps = "disk_bps";
inline constexpr const char* kMemoryDirtyRate = "memory_dirty_rate";
inline constexpr const char* kMemoryPageSize = "memory_page_size";
inline constexpr const char* kMemoryIteration = "memory_iteration";
inline constexpr const char* kPostCopyRequests = "memory_postcopy_requests";
inline constexpr const char* kAutoConvergeThrottle = "auto_converge_throttle";
inline constexpr const char* kSuccess = "success";
inline constexpr const char* kErrorMessage = "errmsg";

}  // namespace migmon::hv::code

namespace migmon::hv {

// Reads one job-stats field by its libvirt name; nullopt when absent.
class JobFields {
 public:
  virtual ~JobFields() = default;
  virtual std::optional<uint64_t> ULL(const char* name) const = 0;
  virtual std::optional<int> Int(const char* name) const = 0;
  virtual std::optional<bool> Bool(const char* name) const = 0;
  virtual std::optional<std::string> String(const char* name) const = 0;
};

// Job statistics in base units. This is the single place that knows libvirt's units:
//   time_elapsed, downtime, downtime_net, setup_time: milliseconds -> seconds
//   memory_dirty_rate: pages/s -> bytes/s (x memory_page_size, 4096 if absent)
//   auto_converge_throttle: percent -> ratio
//   sizes stay bytes, memory_bps/disk_bps stay bytes/s.
JobSample JobSampleFrom(int job_type, const JobFields& fields, SteadyTime sampled_at);

// A lifecycle event (type, detail) as the watcher's kind; nullopt: not of interest.
std::optional<DomainEvent::Kind> LifecycleKind(int event, int detail);

// virDomainGetState's (state, reason) as a RunState.
RunState RunStateOf(int state, int reason);
const char* StateWord(int state);

// virDomainMigrateGetMaxSpeed's MiB/s as bytes/s; nullopt when unlimited
// (libvirt reports that as 0 or an enormous number).
std::optional<double> SpeedLimitBytes(uint64_t mib_per_second);

// What a failed virDomainGetJobStats means, by libvirt's error code.
JobQuery::Status JobErrorStatus(int error_code);

}  // namespace migmon::hv
