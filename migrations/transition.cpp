#include "migrations/transition.h"

#include "migrations/object_status.h"
#include "util/time_format.h"

namespace migmon::migrations {
namespace {

Step Stay(const Entry& e) {
  Step s;
  s.next = e.phase;
  return s;
}

// libvirt shows the job: Running, its progress, and a DELETE's abort once.
Step WhileRunning(const Entry& e, const MigrationView& job, double now) {
  Step s = Stay(e);
  s.next = Phase::kRunning;
  s.seen_running = true;
  if (e.phase != Phase::kRunning) {
    s.records.push_back({Phase::kRunning, [job, now](nlohmann::json& obj) {
                           SetPhase(obj, Phase::kRunning, now);
                           if (!obj["status"]["migrationState"].contains("startTimestamp")) {
                             SetState(obj, "startTimestamp", Rfc3339(job.started_at));
                           }
                           SetProgress(obj, job);
                         }});
    s.progress_written = true;
  } else if (now - e.progress_written_at >= kProgressWriteSeconds) {
    s.records.push_back({std::nullopt, [job](nlohmann::json& obj) { SetProgress(obj, job); }});
    s.progress_written = true;
  }
  if (e.abort_requested && !e.abort_submitted) {
    s.actions.push_back({e.source, UserAbort(e)});
    s.abort_submitted = true;
  }
  return s;
}

Step Requeue(const Entry& e, double now) {
  Step s = Stay(e);
  s.next = Phase::kPending;
  s.requeued = true;
  s.records.push_back({Phase::kPending, [now](nlohmann::json& obj) {
                         obj["status"].erase("migrationState");
                         SetPhase(obj, Phase::kPending, now);
                       }});
  return s;
}

}  // namespace

MigrationAction UserAbort(const Entry& e) {
  return {MigrationAction::Kind::kAbort, ActionReason::kUserRequest, e.uuid, 0,
          "abort requested by deleting migration " + e.ns + "/" + e.name};
}

Change WaitingChange(const std::string& reason, const std::string& message, double now) {
  return {std::nullopt, [reason, message, now](nlohmann::json& obj) { SetWaiting(obj, reason, message, now); }};
}

Change AbortRequestedChange() {
  return {std::nullopt, [](nlohmann::json& obj) {
            SetState(obj, "abortRequested", true);
            SetAbortStatus(obj, AbortStatus::kAborting);
          }};
}

Step FinishStep(const Entry& e, bool succeeded, const std::string& reason, double now) {
  Step s = Stay(e);
  s.next = succeeded ? Phase::kSucceeded : Phase::kFailed;
  s.finished = true;
  s.remove = e.abort_requested;
  s.reason = reason;
  s.launch_failure = !succeeded && !e.seen_running && e.result && !e.abort_requested;
  const bool aborting = e.abort_requested;
  s.records.push_back({s.next, [succeeded, reason, now, aborting](nlohmann::json& obj) {
                         Finish(obj, succeeded, reason, now);
                         if (aborting) SetAbortStatus(obj, succeeded ? AbortStatus::kFailed : AbortStatus::kSucceeded);
                       }});
  return s;
}

Step Track(const Entry& e, const Observed& seen, double now) {
  if (seen.job) return WhileRunning(e, *seen.job, now);
  const auto& outcome = seen.outcome;
  if (e.result) {
    if (e.result->ok) return FinishStep(e, true, "", now);
    if (!outcome && e.seen_running && now - e.result_at < kOutcomeGraceSeconds) return Stay(e);
    // The watcher's account says who aborted it; libvirt's only that it was.
    const bool by_monitor = outcome && outcome->cause == OutcomeCause::kAbortedByMonitor;
    return FinishStep(e, false, by_monitor ? outcome->reason : e.result->error, now);
  }
  if (e.launching || !e.adopted) return Stay(e);  // the migrate call is still being set up
  if (outcome) return FinishStep(e, outcome->succeeded, outcome->succeeded ? "" : outcome->reason, now);
  // Adopted from before a restart and not running: decide from where the VMI is.
  const auto& where = seen.where;
  if (where && where->domain.running && !e.target.empty() && where->node == e.target) {
    return FinishStep(e, true, "", now);
  }
  // Anything else needs the source's and target's inventories (not every node's).
  if (!e.source.empty() && !seen.source_swept) return Stay(e);
  if (!e.target.empty() && !seen.target_swept) return Stay(e);
  if (e.source.empty() && !seen.inventory_complete) return Stay(e);
  const bool on_source = where && (e.source.empty() || where->node == e.source);
  // It never started: queue it again (the guest still runs once, on the source).
  if (on_source && !e.seen_running && !e.abort_requested) return Requeue(e, now);
  return FinishStep(e, false,
                    where ? "the migration ended while migration-monitor was down; the VMI runs on " + where->node
                          : "the VMI runs on no managed node",
                    now);
}

}  // namespace migmon::migrations
