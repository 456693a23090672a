#include "tracker/outcome.h"

namespace migmon {
namespace {

Outcome Completed(std::string reason) { return {true, std::move(reason), OutcomeCause::kCompleted, ""}; }
Outcome Failed(std::string reason, OutcomeCause cause = OutcomeCause::kFailed) {
  return {false, std::move(reason), cause, ""};
}

}  // namespace

Outcome DecideOutcome(const EndEvidence& e, bool target_runs_domain) {
  using S = EndEvidence::SourceState;
  // libvirt keeps the record of the last *successful* job: after a failed
  // one the record may be an older migration's. A success only counts when
  // the source stopped, which every successful migration does.
  const bool source_active = e.source_state == S::kRunning || e.source_state == S::kPaused;
  if (e.completed && e.completed->success && !*e.completed->success) {
    return Failed(e.completed->error_message.value_or("libvirt reports the job failed"));
  }
  if (e.completed && !source_active &&
      (e.completed->success.value_or(false) || e.completed->type == JobType::kCompleted)) {
    return Completed("libvirt reports the job completed");
  }
  if (e.stopped_migrated_event || e.source_state == S::kShutOffMigrated) {
    return Completed("the source stopped because the domain migrated");
  }
  if (e.aborted_by_monitor && source_active) {
    return {false, "aborted by migration-monitor: " + *e.aborted_by_monitor, OutcomeCause::kAbortedByMonitor,
            *e.aborted_by_monitor};
  }
  switch (e.source_state) {
    case S::kRunning:
      return Failed("the job ended and the domain still runs on the source", OutcomeCause::kEndedOnSource);
    case S::kPaused:
      return Failed("the job ended and the domain is paused on the source (" + e.source_state_detail + ")",
                    OutcomeCause::kEndedOnSource);
    case S::kShutOffOther:
      if (target_runs_domain) return Completed("the domain runs on the target");
      return Failed("the domain stopped on the source during the migration");
    case S::kShutOffMigrated:
      break;
    case S::kGone:
      if (target_runs_domain) return Completed("the domain runs on the target");
      return Failed("the domain vanished from the source and no managed node runs it");
  }
  return Completed("the source stopped because the domain migrated");
}

}  // namespace migmon
