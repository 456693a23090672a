#include "tracker/outcome.h"

namespace migmon {

Outcome DecideOutcome(const EndEvidence& e, bool target_runs_domain) {
  using S = EndEvidence::SourceState;
  // libvirt's own verdict comes first when it left one.
  if (e.completed && e.completed->success) {
    if (*e.completed->success) return {true, "libvirt reports the job completed"};
    return {false, e.completed->error_message.value_or("libvirt reports the job failed")};
  }
  if (e.completed && e.completed->type == JobType::kCompleted && e.source_state != S::kRunning &&
      e.source_state != S::kPaused) {
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
