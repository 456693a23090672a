#include "client/render.h"

#include <gtest/gtest.h>

#include "client/format.h"

namespace migmon::client {
namespace {

using nlohmann::json;

constexpr double kMiB = 1024.0 * 1024;
constexpr double kGiB = kMiB * 1024;

json Running() {
  return {
      {"metadata", {{"name", "vm1-migration-x7k2p"}, {"namespace", "default"}, {"creationTimestamp", "2024-05-01T12:00:00Z"}}},
      {"spec", {{"vmiName", "vm1"}, {"priority", "user-triggered"}}},
      {"status",
       {{"phase", "Running"},
        {"migrationState",
         {{"sourceNode", "node-a"},
          {"targetNode", "node-b"},
          {"mode", "PreCopy"},
          {"migrationMethod", "LiveMigration"},
          {"progress",
           {{"dataTotalBytes", 2 * kGiB},
            {"dataProcessedBytes", 0.9 * kGiB},
            {"dataRemainingBytes", 1.1 * kGiB},
            {"memoryTransferRateBytesPerSecond", 100 * kMiB},
            {"diskTransferRateBytesPerSecond", 18.3 * kMiB},
            {"dirtyRateBytesPerSecond", 10 * kMiB},
            {"iteration", 3},
            {"progressRatio", 0.452},
            {"estimatedRemainingSeconds", 9.5},
            {"elapsedSeconds", 12}}}}}}},
  };
}

TEST(ClientRender, ProgressLineOnATerminal) {
  EXPECT_EQ("vm1-migration-x7k2p [#########...........]   45%  1.1 GiB left  118.3 MiB/s  ETA 9s  iter 3  PreCopy  Running",
            ProgressLine(Running(), true));
}

TEST(ClientRender, ProgressLineForLogs) {
  EXPECT_EQ("vm1-migration-x7k2p: Running 45%, 1.1 GiB left, 118.3 MiB/s, ETA 9s, iteration 3, PreCopy",
            ProgressLine(Running(), false));
  EXPECT_EQ("default/vm1-migration-x7k2p: Running 45%, 1.1 GiB left, 118.3 MiB/s, ETA 9s, iteration 3, PreCopy",
            ProgressLine(Running(), false, true));
}

TEST(ClientRender, ProgressLineLeavesOutWhatIsMissing) {
  json o = Running();
  auto& p = o["status"]["migrationState"]["progress"];
  p.erase("estimatedRemainingSeconds");
  p.erase("progressRatio");  // falls back to processed / total
  p.erase("dataRemainingBytes");  // and to total - processed
  o["status"]["migrationState"]["mode"] = "PostCopy";
  EXPECT_EQ("vm1-migration-x7k2p: Running 45%, 1.1 GiB left, 118.3 MiB/s, iteration 3, PostCopy",
            ProgressLine(o, false));
  o["status"]["migrationState"].erase("progress");
  EXPECT_EQ("vm1-migration-x7k2p: Running, no progress reported yet, PostCopy", ProgressLine(o, false));
  EXPECT_EQ("vm1-migration-x7k2p [....................]   --%  PostCopy  Running", ProgressLine(o, true));
}

TEST(ClientRender, PercentNeverReaches100BeforeSuccess) {
  json o = Running();
  o["status"]["migrationState"]["progress"]["progressRatio"] = 0.9999;
  EXPECT_EQ(99, PercentOf(ViewOf(o)));
  o["status"]["phase"] = "Succeeded";
  EXPECT_EQ(100, PercentOf(ViewOf(o)));
}

TEST(ClientRender, SurvivesWrongTypes) {
  const json o = {{"metadata", "x"}, {"status", {{"phase", 5}, {"migrationState", {{"progress", {{"iteration", "3"}}}}}}}};
  const MigrationView v = ViewOf(o);
  EXPECT_EQ("Pending", v.phase);
  EXPECT_FALSE(v.progress->iteration);
  EXPECT_NO_THROW(SummaryOf(o));
  EXPECT_NO_THROW(ProgressLine(o, true));
}

TEST(ClientRender, Summary) {
  EXPECT_EQ(
      "Name:       vm1-migration-x7k2p\n"
      "Namespace:  default\n"
      "VMI:        vm1\n"
      "Priority:   user-triggered\n"
      "Phase:      Running\n"
      "Nodes:      node-a -> node-b\n"
      "Mode:       PreCopy (LiveMigration)\n"
      "Progress:   45%, 1.1 GiB of 2.0 GiB left, 118.3 MiB/s, dirtying 10.0 MiB/s, ETA 9s, iteration 3\n"
      "Elapsed:    12s\n",
      SummaryOf(Running()));
}

TEST(ClientRender, SummaryOfPendingAndFailed) {
  const json pending = {
      {"metadata", {{"name", "m"}, {"namespace", "default"}}},
      {"spec", {{"vmiName", "vm1"}, {"addedNodeSelector", {{"kubernetes.io/hostname", "node-c"}}}}},
      {"status",
       {{"phase", "Pending"},
        {"conditions", {{{"type", "Other"}, {"status", "True"}}, {{"type", "Ready"}, {"status", "False"}, {"reason", "ClusterLimitReached"}, {"message", "2 of 2 migrations running in the cluster"}}}}}}};
  const std::string s = SummaryOf(pending);
  EXPECT_NE(std::string::npos, s.find("Requested:  node-c\n"));
  EXPECT_NE(std::string::npos, s.find("Waiting:    2 of 2 migrations running in the cluster\n"));
  EXPECT_EQ(std::string::npos, s.find("Progress"));

  json failed = Running();
  failed["status"]["phase"] = "Failed";
  failed["status"]["migrationState"]["failureReason"] = "target node ran out of memory";
  const std::string f = SummaryOf(failed);
  EXPECT_NE(std::string::npos, f.find("Phase:      Failed\n"));
  EXPECT_NE(std::string::npos, f.find("Failure:    target node ran out of memory\n"));
  EXPECT_NE(std::string::npos, f.find("Took:       12s\n"));
}

TEST(ClientRender, ChangeLines) {
  json pending = {{"metadata", {{"name", "m"}, {"namespace", "ns"}}},
                  {"status", {{"phase", "Pending"}, {"conditions", {{{"type", "Ready"}, {"message", "queued behind 2"}}}}}}};
  const MigrationView p1 = ViewOf(pending);
  EXPECT_EQ(std::vector<std::string>{"m: Pending: queued behind 2"}, ChangeLines(nullptr, p1, false));
  EXPECT_TRUE(ChangeLines(&p1, p1, false).empty());
  pending["status"]["conditions"][0]["message"] = "queued behind 1";
  const MigrationView p2 = ViewOf(pending);
  EXPECT_EQ(std::vector<std::string>{"ns/m: Pending: queued behind 1"}, ChangeLines(&p1, p2, true));

  json o = Running();
  const MigrationView r1 = ViewOf(o);
  EXPECT_EQ(std::vector<std::string>{"vm1-migration-x7k2p: Running node-a -> node-b (PreCopy)"}, ChangeLines(&p2, r1, false));
  EXPECT_TRUE(ChangeLines(&r1, r1, false).empty());
  o["status"]["migrationState"]["mode"] = "PostCopy";
  o["status"]["migrationState"]["abortRequested"] = true;
  const MigrationView r2 = ViewOf(o);
  EXPECT_EQ((std::vector<std::string>{"vm1-migration-x7k2p: switched to PostCopy", "vm1-migration-x7k2p: abort requested"}),
            ChangeLines(&r1, r2, false));
  o["status"]["phase"] = "Succeeded";
  o["status"]["migrationState"]["abortRequested"] = false;
  o["status"]["migrationState"]["startTimestamp"] = "2024-05-01T12:00:00Z";
  o["status"]["migrationState"]["endTimestamp"] = "2024-05-01T12:01:05Z";
  EXPECT_EQ(std::vector<std::string>{"vm1-migration-x7k2p: Succeeded node-a -> node-b in 1m05s"},
            ChangeLines(&r2, ViewOf(o), false));
  o["status"]["phase"] = "Failed";
  o["status"]["migrationState"]["failureReason"] = "aborted by user";
  o["status"]["migrationState"]["abortStatus"] = "Succeeded";
  EXPECT_EQ((std::vector<std::string>{"vm1-migration-x7k2p: Failed: aborted by user", "vm1-migration-x7k2p: abort Succeeded"}),
            ChangeLines(&r2, ViewOf(o), false));
  EXPECT_EQ("ns/m: deleted", DeletedLine(p1, true));
}

TEST(ClientRender, ListTable) {
  json done = Running();
  done["metadata"]["name"] = "vm0-migration-aaaaa";
  done["metadata"]["creationTimestamp"] = "2024-05-01T11:00:00Z";
  done["spec"]["vmiName"] = "vm0";
  done["status"]["phase"] = "Succeeded";
  const json queued = {{"metadata", {{"name", "vm2-migration-bbbbb"}, {"namespace", "apps"}, {"creationTimestamp", "2024-05-01T12:04:00Z"}}},
                       {"spec", {{"vmiName", "vm2"}}},
                       {"status", {{"phase", "Pending"}}}};
  const auto now = *ParseRfc3339("2024-05-01T12:05:00Z");
  EXPECT_EQ(
      "NAMESPACE   NAME                  VMI   PHASE       SOURCE   TARGET   PROGRESS   AGE\n"
      "apps        vm2-migration-bbbbb   vm2   Pending     -        -        -          1m00s\n"
      "default     vm0-migration-aaaaa   vm0   Succeeded   node-a   node-b   100%       1h05m\n"
      "default     vm1-migration-x7k2p   vm1   Running     node-a   node-b   45%        5m00s\n",
      ListTable(json::array({Running(), queued, done}), now));
}

}  // namespace
}  // namespace migmon::client
