#include "tracker/outcome.h"

namespace migmon {

Outcome DecideOutcome(const EndEvidence& e, bool target_runs_domain) {
  using S = EndEvidence::SourceState;
  // libvirt keeps the record of the last *successful* job: after a failed
  // one the record may be an older migration's. A success only counts when
  // the source stopped, which every successful migration does.
  const bool source_active = e.source_state == S::kRunning || e.source_state == S::kPaused;
  if (e.completed && e.completed->success && !*e.completed->success) {
    return {false, e.completed->error_message.value_or("libvirt reports the job failed")};
  }
  if (e.completed && !source_active &&
      (e.completed->success.value_or(false) || e.completed->type == JobType::kCompleted)) {
    return {true, "libvirt reports the job completed"};
  }
  if (e.stopped_migrated_event || e.source_state == S::kShutOffMigrated) {
    return {true, "the source stopped because the domain migrated"};
  }
  if (e.aborted_by_monitor && (e.source_state == S::kRunning || e.source_state == S::kPaused)) {
    return {false, "aborted by migration-monitor: " + *e.aborted_by_monitor};
  }
  switch (e.source_state) {
    case S::kRunning:
      return {false, "the job ended and the domain still runs on the source"};
    case S::kPaused:
      return {false, "the job ended and the domain is paused on the source (" +
                         e.source_state_detail + ")"};
    case S::kShutOffOther:
      if (target_runs_domain) return {true, "the domain runs on the target"};
      return {false, "the domain stopped on the source during the migration"};
    case S::kShutOffMigrated:
      break;
    case S::kGone:
      if (target_runs_domain) return {true, "the domain runs on the target"};
      return {false, "the domain vanished from the source and no managed node runs it"};
  }
  return {true, "the source stopped because the domain migrated"};
}

}  // namespace migmon
