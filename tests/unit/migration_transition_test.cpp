// The lifecycle's pure decisions (migrations/transition.h) and its phase
// names (migrations/phase.h), fed plain values: no store, clock or threads.
#include "migrations/transition.h"

#include <gtest/gtest.h>

#include "migrations/object_status.h"
#include "migrations/phase.h"

namespace migmon::migrations {
namespace {

TEST(Phase, NamesAreKubeVirtsAndRoundTrip) {
  std::vector<std::string> names;
  for (const Phase p : kAllPhases) {
    names.push_back(PhaseName(p));
    EXPECT_EQ(ParsePhase(PhaseName(p)), p);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Pending", "Scheduling", "Scheduled", "PreparingTarget", "TargetReady",
                                             "Running", "Succeeded", "Failed"}));
  EXPECT_EQ(ParsePhase("running"), std::nullopt);
  EXPECT_EQ(PhaseOf(nlohmann::json::object()), Phase::kPending);
  EXPECT_EQ(PhaseOf({{"status", {{"phase", "Failed"}}}}), Phase::kFailed);
}

Entry InFlight(Phase phase) {
  Entry e;
  e.ns = "default";
  e.name = "m1";
  e.vmi = "web";
  e.phase = phase;
  e.source = "node-1";
  e.target = "node-2";
  e.uuid = "u-web";
  e.object = {{"metadata", {{"name", "m1"}, {"namespace", "default"}}}, {"status", {{"phase", PhaseName(phase)}}}};
  return e;
}

MigrationView Job() {
  MigrationView m;
  m.source = {"node-1", "u-web", "web"};
  m.last.elapsed_seconds = 4;
  return m;
}

// The object after the step's records.
nlohmann::json After(const Entry& e, const Step& s) {
  nlohmann::json obj = e.object.Json();
  for (const auto& c : s.records) c.edit(obj);
  return obj;
}

TEST(Track, AJobLibvirtShowsIsRunningWithItsStart) {
  Entry e = InFlight(Phase::kTargetReady);
  Observed seen;
  seen.job = Job();
  seen.job->started_at = 1000;
  const Step s = Track(e, seen, 1004);
  EXPECT_EQ(s.next, Phase::kRunning);
  EXPECT_TRUE(s.seen_running);
  EXPECT_TRUE(s.progress_written);
  const auto obj = After(e, s);
  EXPECT_EQ(PhaseOf(obj), Phase::kRunning);
  EXPECT_EQ(obj["status"]["migrationState"]["startTimestamp"], "1970-01-01T00:16:40Z");
}

TEST(Track, ProgressIsWrittenAtMostOnceASecond) {
  Entry e = InFlight(Phase::kRunning);
  e.progress_written_at = 100;
  Observed seen;
  seen.job = Job();
  EXPECT_TRUE(Track(e, seen, 100.5).records.empty());
  const Step s = Track(e, seen, 101);
  EXPECT_EQ(s.records.size(), 1u);
  EXPECT_TRUE(s.progress_written);
}

TEST(Track, ADeletesAbortIsSubmittedOnce) {
  Entry e = InFlight(Phase::kRunning);
  e.abort_requested = true;
  Observed seen;
  seen.job = Job();
  const Step s = Track(e, seen, 10);
  ASSERT_EQ(s.actions.size(), 1u);
  EXPECT_EQ(s.actions[0].node, "node-1");
  EXPECT_EQ(s.actions[0].action.reason, ActionReason::kUserRequest);
  EXPECT_EQ(s.actions[0].action.message, "abort requested by deleting migration default/m1");
  EXPECT_TRUE(s.abort_submitted);
  e.abort_submitted = true;
  EXPECT_TRUE(Track(e, seen, 10).actions.empty());
}

TEST(Track, WhoAbortedIsTheOutcomesCauseNotItsWords) {
  Entry e = InFlight(Phase::kRunning);
  e.seen_running = true;
  e.result = LaunchResult{false, "migrate: operation aborted"};
  Observed seen;
  // Words that look like ours, from another cause: libvirt's error stands.
  seen.outcome = Outcome{false, "aborted by migration-monitor: but not really", OutcomeCause::kEndedOnSource, ""};
  EXPECT_EQ(After(e, Track(e, seen, 10))["status"]["migrationState"]["failureReason"], "migrate: operation aborted");
  seen.outcome = Outcome{false, "aborted by migration-monitor: completion_timeout", OutcomeCause::kAbortedByMonitor,
                         "completion_timeout"};
  const Step s = Track(e, seen, 10);
  EXPECT_EQ(s.next, Phase::kFailed);
  EXPECT_EQ(After(e, s)["status"]["migrationState"]["failureReason"],
            "aborted by migration-monitor: completion_timeout");
  EXPECT_FALSE(s.launch_failure);
}

TEST(Track, AFailedCallAfterTheJobRanWaitsForTheAccountWithinTheGrace) {
  Entry e = InFlight(Phase::kRunning);
  e.seen_running = true;
  e.result = LaunchResult{false, "failed"};
  e.result_at = 100;
  EXPECT_EQ(Track(e, {}, 100 + kOutcomeGraceSeconds - 0.1).next, Phase::kRunning);
  EXPECT_EQ(Track(e, {}, 100 + kOutcomeGraceSeconds).next, Phase::kFailed);
}

TEST(Track, OurCallInProgressOrNotAdoptedWaits) {
  Entry e = InFlight(Phase::kScheduled);
  e.launching = true;
  EXPECT_TRUE(Track(e, {}, 10).records.empty());
  e.launching = false;  // neither launching nor adopted nor returned: nothing to decide from
  EXPECT_EQ(Track(e, {}, 10).next, Phase::kScheduled);
}

TEST(Track, AnAdoptedEntryWaitsForTheSourceAndTargetInventories) {
  Entry e = InFlight(Phase::kScheduled);
  e.adopted = true;
  Observed seen;
  seen.where = VmiWhere{"node-1", {"u-web", "web", 1, true, false, "running"}};
  seen.target_swept = true;
  EXPECT_TRUE(Track(e, seen, 10).records.empty());
  seen.source_swept = true;
  seen.target_swept = false;
  EXPECT_TRUE(Track(e, seen, 10).records.empty());
  seen.target_swept = true;
  const Step s = Track(e, seen, 10);
  EXPECT_TRUE(s.requeued);
  EXPECT_EQ(s.next, Phase::kPending);
  EXPECT_FALSE(After(e, s)["status"].contains("migrationState"));
}

TEST(Track, AFinishedDeleteIsRemovedWithItsAbortStatus) {
  Entry e = InFlight(Phase::kRunning);
  e.abort_requested = true;
  const Step s = FinishStep(e, false, "aborted", 10);
  EXPECT_TRUE(s.finished);
  EXPECT_TRUE(s.remove);
  EXPECT_EQ(After(e, s)["status"]["migrationState"]["abortStatus"], "Succeeded");
}

}  // namespace
}  // namespace migmon::migrations
