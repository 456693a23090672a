#include "daemon/trace_steps.h"

#include <chrono>

#include "hypervisor/json_job_fields.h"
#include "hypervisor/libvirt_codes.h"
#include "trace/reader.h"

namespace migmon::app {
namespace {

using trace::TraceRecord;

// A sample read this soon after its iteration event was read for it.
constexpr double kEventReactionSeconds = 1.0;
// The limits are read right after the job statistics of the same poll (the
// monitor reads both together): a limits record this soon after a sample
// was in force for it.
constexpr double kLimitsReadAfterSeconds = 0.1;

SteadyTime At(double t) {
  return SteadyTime{} + std::chrono::duration_cast<SteadyTime::duration>(std::chrono::duration<double>(t));
}

bool ActiveOutgoing(const JobSample& s) {
  const bool active = s.type == JobType::kBounded || s.type == JobType::kUnbounded;
  return active && s.operation != JobOperation::kMigrationIn && s.operation != JobOperation::kOther;
}

}  // namespace

TraceRun StepsOf(const trace::Trace& trace, const TraceOptions& options) {
  TraceRun run;
  bool has_events = false;
  for (const TraceRecord& r : trace.records) has_events |= r.kind == TraceRecord::Kind::kIterationEvent;

  std::optional<double> downtime, speed;
  std::optional<TraceRecord> pending_event;  // an iteration event no sample has answered yet
  uint64_t last_iteration = 0;
  bool any = false;
  size_t next_limits = 0;  // the first limits record not yet applied
  const auto& records = trace.records;
  const auto apply_limits_until = [&](double t) {
    for (; next_limits < records.size() && records[next_limits].t <= t; ++next_limits) {
      const TraceRecord& l = records[next_limits];
      if (l.kind != TraceRecord::Kind::kLimits) continue;
      if (l.max_downtime_ms) downtime = static_cast<double>(*l.max_downtime_ms) / 1000.0;
      if (l.max_speed_mib) speed = hv::SpeedLimitBytes(*l.max_speed_mib);
    }
  };
  for (const TraceRecord& r : records) {
    switch (r.kind) {
      case TraceRecord::Kind::kLimits:
        continue;  // applied with the samples they belong to
      case TraceRecord::Kind::kIterationEvent:
        pending_event = r;
        continue;
      case TraceRecord::Kind::kCompletedJob: {
        const JobSample end = hv::JobSampleFromJson(r.stats, At(r.t));
        if (end.type == JobType::kCompleted || end.type == JobType::kFailed || end.type == JobType::kCancelled) {
          if (!run.end_elapsed_seconds && end.elapsed_seconds) run.end_elapsed_seconds = end.elapsed_seconds;
          if (!run.completed) run.completed = end.type == JobType::kCompleted;
        }
        continue;
      }
      case TraceRecord::Kind::kDecision:
        run.decisions.push_back(r);
        continue;
      case TraceRecord::Kind::kMark:
        continue;
      case TraceRecord::Kind::kJobStats:
        break;
    }
    apply_limits_until(r.t + kLimitsReadAfterSeconds);
    JobSample s = hv::JobSampleFromJson(r.stats, At(r.t));
    if (trace.bare && s.type == JobType::kNone && s.data_total_bytes) s.type = JobType::kUnbounded;
    if (!ActiveOutgoing(s)) continue;
    s.allowed_downtime_seconds = options.max_downtime_seconds ? options.max_downtime_seconds
                                 : downtime                   ? downtime
                                                              : std::optional<double>(kQemuDefaultDowntimeSeconds);
    s.bandwidth_limit_bytes_per_second = options.bandwidth_bytes_per_second ? options.bandwidth_bytes_per_second : speed;
    const uint64_t iteration = s.memory_iteration.value_or(last_iteration);
    bool at_event = false;
    if (options.events == TraceOptions::Events::kSeen) {
      if (has_events) {
        at_event = pending_event && pending_event->iteration == iteration && r.t - pending_event->t <= kEventReactionSeconds;
        if (at_event) pending_event.reset();
      } else {
        at_event = any && iteration > last_iteration;
      }
    }
    last_iteration = std::max(last_iteration, iteration);
    any = true;
    run.steps.push_back({r.t, std::move(s), at_event});
  }

  run.memory_bytes = options.memory_bytes.value_or(trace.meta.memory_bytes.value_or(0));
  if (run.memory_bytes == 0) {
    for (const auto& step : run.steps) {
      if (step.sample.memory_total_bytes.value_or(0) > 0) {
        run.memory_bytes = *step.sample.memory_total_bytes;
        break;
      }
    }
  }
  if (run.steps.empty()) throw trace::TraceError(trace.path + ": no job-stats sample of an active outgoing migration");
  if (run.memory_bytes == 0) {
    throw trace::TraceError(trace.path + ": the guest's memory is not in the trace (no meta domain.memory_kib, no memory_total): pass --memory");
  }
  return run;
}

}  // namespace migmon::app
