#include "hypervisor/libvirt_codes.h"

namespace migmon::hv {
namespace {

constexpr uint64_t kDefaultPageSize = 4096;

std::optional<double> MillisToSeconds(std::optional<uint64_t> ms) {
  if (!ms) return std::nullopt;
  return static_cast<double>(*ms) / 1000.0;
}

std::optional<double> AsDouble(std::optional<uint64_t> v) {
  if (!v) return std::nullopt;
  return static_cast<double>(*v);
}

JobType ConvertType(int job_type) {
  switch (job_type) {
    case code::kJobBounded: return JobType::kBounded;
    case code::kJobUnbounded: return JobType::kUnbounded;
    case code::kJobCompleted: return JobType::kCompleted;
    case code::kJobFailed: return JobType::kFailed;
    case code::kJobCancelled: return JobType::kCancelled;
    default: return JobType::kNone;
  }
}

JobOperation ConvertOperation(std::optional<int> op) {
  if (!op) return JobOperation::kUnknown;
  switch (*op) {
    case code::kOperationMigrationOut: return JobOperation::kMigrationOut;
    case code::kOperationMigrationIn: return JobOperation::kMigrationIn;
    case code::kOperationUnknown: return JobOperation::kUnknown;
    default: return JobOperation::kOther;
  }
}

}  // namespace

JobSample JobSampleFrom(int job_type, const JobFields& f, SteadyTime sampled_at) {
  using namespace code;
  JobSample s;
  s.sampled_at = sampled_at;
  s.type = ConvertType(job_type);
  s.operation = ConvertOperation(f.Int(kOperation));

  s.elapsed_seconds = MillisToSeconds(f.ULL(kTimeElapsed));
  s.expected_downtime_seconds = MillisToSeconds(f.ULL(kDowntime));
  s.setup_seconds = MillisToSeconds(f.ULL(kSetupTime));
  s.downtime_net_seconds = MillisToSeconds(f.ULL(kDowntimeNet));

  s.data_total_bytes = f.ULL(kDataTotal);
  s.data_processed_bytes = f.ULL(kDataProcessed);
  s.data_remaining_bytes = f.ULL(kDataRemaining);
  s.memory_total_bytes = f.ULL(kMemoryTotal);
  s.memory_processed_bytes = f.ULL(kMemoryProcessed);
  s.memory_remaining_bytes = f.ULL(kMemoryRemaining);
  s.disk_total_bytes = f.ULL(kDiskTotal);
  s.disk_processed_bytes = f.ULL(kDiskProcessed);
  s.disk_remaining_bytes = f.ULL(kDiskRemaining);

  s.memory_bytes_per_second = AsDouble(f.ULL(kMemoryBps));
  s.disk_bytes_per_second = AsDouble(f.ULL(kDiskBps));
  if (const auto pages = f.ULL(kMemoryDirtyRate)) {
    const uint64_t page_size = f.ULL(kMemoryPageSize).value_or(kDefaultPageSize);
    s.dirty_bytes_per_second = static_cast<double>(*pages) * static_cast<double>(page_size);
  }
  s.memory_iteration = f.ULL(kMemoryIteration);
  s.postcopy_requests = f.ULL(kPostCopyRequests);
  if (const auto percent = f.Int(kAutoConvergeThrottle)) {
    s.auto_converge_throttle_ratio = static_cast<double>(*percent) / 100.0;
  }
  s.success = f.Bool(kSuccess);
  s.error_message = f.String(kErrorMessage);
  return s;
}

std::optional<DomainEvent::Kind> LifecycleKind(int event, int detail) {
  using K = DomainEvent::Kind;
  switch (event) {
    case code::kEventStarted:
      return detail == code::kStartedMigrated ? K::kIncomingStarted : K::kStarted;
    case code::kEventResumed:
      if (detail == code::kResumedMigrated) return K::kIncomingResumed;
      return std::nullopt;
    case code::kEventStopped:
      return detail == code::kStoppedMigrated ? K::kStoppedMigrated : K::kStoppedOther;
    case code::kEventSuspended:
      if (detail == code::kSuspendedPostCopy) return K::kPostCopyStarted;
      if (detail == code::kSuspendedPostCopyFailed) return K::kPostCopyFailed;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

const char* StateWord(int state) {
  switch (state) {
    case code::kStateRunning: return "running";
    case code::kStateBlocked: return "blocked";
    case code::kStatePaused: return "paused";
    case code::kStateShutdown: return "shutting down";
    case code::kStateShutOff: return "shut off";
    case code::kStateCrashed: return "crashed";
    case code::kStatePmSuspended: return "suspended";
    default: return "unknown";
  }
}

RunState RunStateOf(int state, int reason) {
  RunState s;
  switch (state) {
    case code::kStateRunning:
      s.kind = RunState::Kind::kRunning;
      s.detail = "running";
      break;
    case code::kStatePaused:
      s.kind = RunState::Kind::kPaused;
      s.paused_for_postcopy = reason == code::kPausedPostCopy;
      s.postcopy_failed = reason == code::kPausedPostCopyFailed;
      s.detail = s.postcopy_failed       ? "paused (post-copy failed)"
                 : s.paused_for_postcopy ? "paused (post-copy)"
                                         : "paused";
      break;
    case code::kStateShutOff:
      s.kind = RunState::Kind::kShutOff;
      s.shut_off_migrated = reason == code::kShutOffMigrated;
      s.detail = s.shut_off_migrated ? "shut off (migrated)" : "shut off";
      break;
    default:
      s.kind = RunState::Kind::kOther;
      s.detail = StateWord(state);
      break;
  }
  return s;
}

std::optional<double> SpeedLimitBytes(uint64_t mib_per_second) {
  constexpr uint64_t kUnlimitedMiB = uint64_t{1} << 30;
  if (mib_per_second == 0 || mib_per_second >= kUnlimitedMiB) return std::nullopt;
  return static_cast<double>(mib_per_second) * 1024.0 * 1024.0;
}

JobQuery::Status JobErrorStatus(int error_code) {
  // libvirt 9.0 refuses job statistics on the destination of a migration.
  if (error_code == code::kErrOperationUnsupported) return JobQuery::Status::kIncoming;
  if (error_code == code::kErrNoDomain) return JobQuery::Status::kNoDomain;
  return JobQuery::Status::kError;
}

}  // namespace migmon::hv
