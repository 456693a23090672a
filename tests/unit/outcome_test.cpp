#include "tracker/outcome.h"

#include <gtest/gtest.h>

namespace migmon {
namespace {

using S = EndEvidence::SourceState;

EndEvidence Evidence(S state) {
  EndEvidence e;
  e.source_state = state;
  return e;
}

TEST(Outcome, CompletedJobWithSuccessWins) {
  EndEvidence e = Evidence(S::kGone);
  e.completed = JobSample{};
  e.completed->type = JobType::kCompleted;
  e.completed->success = true;
  EXPECT_TRUE(DecideOutcome(e, false).succeeded);
}

TEST(Outcome, CompletedJobWithFailureCarriesLibvirtMessage) {
  EndEvidence e = Evidence(S::kRunning);
  e.completed = JobSample{};
  e.completed->type = JobType::kFailed;
  e.completed->success = false;
  e.completed->error_message = "operation aborted: job 'migration out' canceled by client";
  const Outcome o = DecideOutcome(e, false);
  EXPECT_FALSE(o.succeeded);
  EXPECT_EQ("operation aborted: job 'migration out' canceled by client", o.reason);
}

TEST(Outcome, AnOlderSuccessRecordDoesNotMakeAFailedMigrationSucceed) {
  // libvirt keeps the last successful job's record: after an abort it may
  // describe the migration that brought the domain here.
  EndEvidence e = Evidence(S::kRunning);
  e.completed = JobSample{};
  e.completed->type = JobType::kCompleted;
  e.completed->success = true;
  EXPECT_FALSE(DecideOutcome(e, false).succeeded);
}

TEST(Outcome, AbortedMigrationLeavesDomainRunningOnSource) {
  // libvirt 9.0 leaves no completed record and no event after an abort.
  EXPECT_FALSE(DecideOutcome(Evidence(S::kRunning), false).succeeded);
  // Even if a stale record of the target says it resumed there once.
  EXPECT_FALSE(DecideOutcome(Evidence(S::kRunning), true).succeeded);
}

TEST(Outcome, StoppedBecauseMigratedIsSuccess) {
  EXPECT_TRUE(DecideOutcome(Evidence(S::kShutOffMigrated), false).succeeded);
  EndEvidence e = Evidence(S::kGone);
  e.stopped_migrated_event = true;
  EXPECT_TRUE(DecideOutcome(e, false).succeeded);
}

TEST(Outcome, VanishedDomainIsJudgedByTheTarget) {
  EXPECT_TRUE(DecideOutcome(Evidence(S::kGone), true).succeeded);
  const Outcome o = DecideOutcome(Evidence(S::kGone), false);
  EXPECT_FALSE(o.succeeded);
  EXPECT_NE(std::string::npos, o.reason.find("vanished"));
}

TEST(Outcome, DestroyedOnSourceIsFailure) {
  EXPECT_FALSE(DecideOutcome(Evidence(S::kShutOffOther), false).succeeded);
}

TEST(Outcome, PausedOnSourceIsFailure) {
  EndEvidence e = Evidence(S::kPaused);
  e.source_state_detail = "paused (post-copy failed)";
  const Outcome o = DecideOutcome(e, false);
  EXPECT_FALSE(o.succeeded);
  EXPECT_NE(std::string::npos, o.reason.find("post-copy failed"));
}

}  // namespace
}  // namespace migmon

namespace migmon {
namespace {

TEST(OutcomeCause, AnAbortByTheMonitorCarriesItsRuleAndKeepsItsWords) {
  EndEvidence e;
  e.source_state = EndEvidence::SourceState::kRunning;
  e.aborted_by_monitor = "progress_timeout: no progress for 150s";
  const Outcome o = DecideOutcome(e, false);
  EXPECT_FALSE(o.succeeded);
  EXPECT_EQ(o.cause, OutcomeCause::kAbortedByMonitor);
  EXPECT_EQ(o.rule, "progress_timeout: no progress for 150s");
  EXPECT_EQ(o.reason, "aborted by migration-monitor: progress_timeout: no progress for 150s");
}

TEST(OutcomeCause, EachEndHasItsCause) {
  EndEvidence running;
  running.source_state = EndEvidence::SourceState::kRunning;
  EXPECT_EQ(DecideOutcome(running, false).cause, OutcomeCause::kEndedOnSource);
  EndEvidence migrated;
  migrated.source_state = EndEvidence::SourceState::kShutOffMigrated;
  EXPECT_EQ(DecideOutcome(migrated, false).cause, OutcomeCause::kCompleted);
  EndEvidence gone;
  EXPECT_EQ(DecideOutcome(gone, false).cause, OutcomeCause::kFailed);
  EXPECT_EQ(DecideOutcome(gone, true).cause, OutcomeCause::kCompleted);
}

}  // namespace
}  // namespace migmon
