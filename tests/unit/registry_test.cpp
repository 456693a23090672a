// The tracker stage fed with facts as the watchers report them.
#include "tracker/registry.h"

#include <gtest/gtest.h>

#include "tests/unit/fake_clock.h"

namespace migmon {
namespace {

constexpr uint64_t MiB = 1 << 20;

JobSample Running(double elapsed, uint64_t remaining, uint64_t iteration) {
  JobSample s;
  s.type = JobType::kUnbounded;
  s.operation = JobOperation::kMigrationOut;
  s.elapsed_seconds = elapsed;
  s.memory_total_bytes = 48 * MiB;
  s.memory_remaining_bytes = remaining;
  s.data_remaining_bytes = remaining;
  s.memory_iteration = iteration;
  return s;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { registry.SetNodes({"node-1", "node-2"}); }
  MigrationRegistry registry{NamingScheme::kKubeVirt};
  DomainRef source{"node-1", "uuid-a", "prod_web"};
  DomainRef target{"node-2", "uuid-a", "prod_web"};
  DomainFacts facts{48 * MiB, true};
};

TEST_F(RegistryTest, NodesStartDownWithZeroCounters) {
  const Snapshot s = registry.TakeSnapshot();
  ASSERT_EQ(2u, s.nodes.size());
  EXPECT_EQ("node-1", s.nodes[0].name);
  EXPECT_FALSE(s.nodes[0].up);
  EXPECT_EQ(0u, s.nodes[0].succeeded);
  EXPECT_TRUE(s.migrations.empty());
}

TEST_F(RegistryTest, ActiveMigrationIsJoinedWithItsTarget) {
  registry.NodeConnectivity("node-1", true, "connected");
  registry.OutgoingSample(source, facts, Running(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  registry.IncomingActive(target);
  const Snapshot s = registry.TakeSnapshot();
  ASSERT_EQ(1u, s.migrations.size());
  const MigrationView& m = s.migrations[0];
  EXPECT_EQ("prod", m.vmi.name_space);
  EXPECT_EQ("web", m.vmi.name);
  EXPECT_EQ("node-2", m.target_node);
  EXPECT_EQ(1u, s.nodes[0].outbound);
  EXPECT_EQ(1u, s.nodes[1].inbound);
  EXPECT_TRUE(s.nodes[0].up);
  EXPECT_NEAR(1.0 - 40.0 / 48, m.progress_ratio, 1e-9);
}

TEST_F(RegistryTest, SucceededMigrationIsCountedOnceAndDisappears) {
  registry.OutgoingSample(source, facts, Running(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  registry.OutgoingSample(source, facts, Running(2, 20 * MiB, 1), MigrationMode::kPreCopy, false);
  EndEvidence e;
  e.stopped_migrated_event = true;
  registry.OutgoingEnded(source, e);
  registry.OutgoingEnded(source, e);  // a second report of the same end is ignored
  const Snapshot s = registry.TakeSnapshot();
  EXPECT_TRUE(s.migrations.empty());
  EXPECT_EQ(1u, s.nodes[0].succeeded);
  EXPECT_EQ(0u, s.nodes[0].failed);
  EXPECT_EQ(1u, s.nodes[0].durations.count);
  EXPECT_DOUBLE_EQ(2.0, s.nodes[0].durations.sum);
}

TEST_F(RegistryTest, RealDowntimeAndSetupOfSucceededMigrationsOnly) {
  JobSample done = Running(3, 0, 2);
  done.type = JobType::kCompleted;
  done.success = true;
  done.expected_downtime_seconds = 0.042;  // in a completed job: the real pause
  done.setup_seconds = 0.15;
  registry.OutgoingSample(source, facts, Running(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  EndEvidence ok;
  ok.completed = done;
  registry.OutgoingEnded(source, ok);
  // A failed one has libvirt's figures too, but no switchover happened.
  const DomainRef other{"node-1", "uuid-b", "prod_db"};
  registry.OutgoingSample(other, facts, Running(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  EndEvidence failed;
  failed.completed = done;
  failed.completed->type = JobType::kFailed;
  failed.completed->success = false;
  failed.source_state = EndEvidence::SourceState::kRunning;
  registry.OutgoingEnded(other, failed);
  const Snapshot s = registry.TakeSnapshot();
  ASSERT_EQ(1u, s.nodes[0].succeeded);
  ASSERT_EQ(1u, s.nodes[0].failed);
  EXPECT_EQ(1u, s.nodes[0].downtimes.count);
  EXPECT_DOUBLE_EQ(0.042, s.nodes[0].downtimes.sum);
  EXPECT_EQ(1u, s.nodes[0].setups.count);
  EXPECT_DOUBLE_EQ(0.15, s.nodes[0].setups.sum);
  EXPECT_EQ(2u, s.nodes[0].durations.count);
}

TEST_F(RegistryTest, AbortedMigrationIsCountedAsFailed) {
  registry.OutgoingSample(source, facts, Running(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  EndEvidence e;
  e.source_state = EndEvidence::SourceState::kRunning;
  registry.OutgoingEnded(source, e);
  const Snapshot s = registry.TakeSnapshot();
  EXPECT_EQ(0u, s.nodes[0].succeeded);
  EXPECT_EQ(1u, s.nodes[0].failed);
}

TEST_F(RegistryTest, TransientDomainVanishingIsJudgedByTheTarget) {
  registry.OutgoingSample(source, facts, Running(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  registry.IncomingActive(target);
  registry.IncomingEnded(target, true);
  registry.OutgoingEnded(source, EndEvidence{});  // source: gone, no other evidence
  EXPECT_EQ(1u, registry.TakeSnapshot().nodes[0].succeeded);
}

TEST_F(RegistryTest, SweepForgetsIncomingThatIsNoLongerThere) {
  registry.IncomingActive(target);
  registry.SweepDone("node-2", NodeInventory{});
  EXPECT_EQ(0u, registry.TakeSnapshot().nodes[1].inbound);
}

TEST_F(RegistryTest, TheInventoryGenerationChangesOnlyWithTheDomainList) {
  // Readers index the domain lists and keep the index while the generation stays.
  NodeInventory inv;
  inv.domains = {{"u-1", "web", 1 << 30, true, true, "running"}};
  registry.SweepDone("node-1", inv);
  const Snapshot first = registry.TakeSnapshot(false);
  EXPECT_TRUE(first.nodes[0].domains.empty()) << "a light snapshot copies no list";
  EXPECT_EQ(1u, first.nodes[0].domain_count);
  inv.available_memory_bytes = 123;  // room changes with every sweep: not the list
  registry.SweepDone("node-1", inv);
  EXPECT_EQ(first.nodes[0].inventory_generation, registry.TakeSnapshot(false).nodes[0].inventory_generation);
  inv.domains[0].running = false;
  registry.SweepDone("node-1", inv);
  const Snapshot paused = registry.TakeSnapshot(false);
  EXPECT_NE(first.nodes[0].inventory_generation, paused.nodes[0].inventory_generation);
  EXPECT_EQ(paused.nodes[1].inventory_generation, first.nodes[1].inventory_generation) << "node-2 did not change";
}

TEST_F(RegistryTest, RemovingANodeKeepsTheOthersCounters) {
  registry.OutgoingSample(source, facts, Running(1, 40 * MiB, 1), MigrationMode::kPreCopy, false);
  EndEvidence still_on_source;
  still_on_source.source_state = EndEvidence::SourceState::kRunning;
  registry.OutgoingEnded(source, still_on_source);
  registry.SetNodes({"node-1", "node-3"});
  const Snapshot s = registry.TakeSnapshot();
  ASSERT_EQ(2u, s.nodes.size());
  EXPECT_EQ(1u, s.nodes[0].failed);
  EXPECT_EQ("node-3", s.nodes[1].name);
  EXPECT_EQ(0u, s.nodes[1].failed);
}

TEST_F(RegistryTest, DiskPhaseRateIsDerivedBetweenPolls) {
  JobSample a = Running(1, 48 * MiB, 0);
  a.disk_total_bytes = 100 * MiB;
  a.disk_processed_bytes = 10 * MiB;
  a.sampled_at = SteadyTime{} + std::chrono::seconds(1);
  JobSample b = a;
  b.disk_processed_bytes = 12 * MiB;
  b.sampled_at = a.sampled_at + std::chrono::milliseconds(500);
  registry.OutgoingSample(source, facts, a, MigrationMode::kPreCopy, false);
  registry.OutgoingSample(source, facts, b, MigrationMode::kPreCopy, false);
  const Snapshot s = registry.TakeSnapshot();
  ASSERT_EQ(1u, s.migrations.size());
  EXPECT_TRUE(s.migrations[0].block_migration);
  EXPECT_DOUBLE_EQ(4.0 * MiB, *s.migrations[0].disk_rate);
}

}  // namespace
}  // namespace migmon

namespace migmon {
namespace {

TEST(RegistryPostCopy, FailedPostCopyIsCountedOncePerMigration) {
  MigrationRegistry registry;
  registry.SetNodes({"node-1"});
  const DomainRef d{"node-1", "u", "vm"};
  JobSample s;
  s.type = JobType::kUnbounded;
  registry.OutgoingSample(d, DomainFacts{}, s, MigrationMode::kPostCopy, false);
  registry.OutgoingSample(d, DomainFacts{}, s, MigrationMode::kPostCopyFailed, false);
  registry.OutgoingSample(d, DomainFacts{}, s, MigrationMode::kPostCopyFailed, false);
  const Snapshot snap = registry.TakeSnapshot();
  EXPECT_EQ(1u, snap.nodes[0].postcopy_failures);
  EXPECT_EQ(MigrationMode::kPostCopyFailed, snap.migrations[0].mode);
}

// RecentOutcome tells this migration's ending from an earlier one of the
// same domain by when the registry recorded it: the registry's clock.
// The start is fixed at discovery: later samples, whose elapsed and time
// drift apart by the poll's own delays, do not move it (a VMI watch and the
// stored startTimestamp would flip their second otherwise).
TEST(RegistryStart, TheJobsStartIsFixedWhenItIsDiscovered) {
  testing_support::FakeClock clock(1'700'000'000.6);
  MigrationRegistry registry(NamingScheme::kDomain, clock);
  registry.SetNodes({"node-1"});
  const DomainRef d{"node-1", "u", "vm"};
  registry.OutgoingSample(d, DomainFacts{}, Running(10, 10 * MiB, 1), MigrationMode::kPreCopy, false);
  ASSERT_EQ(registry.TakeSnapshot().migrations.size(), 1u);
  EXPECT_DOUBLE_EQ(registry.TakeSnapshot().migrations[0].started_at, 1'700'000'000.6 - 10);
  clock.Advance(1.7);  // the next poll came late; libvirt says 1.2 s more elapsed
  registry.OutgoingSample(d, DomainFacts{}, Running(11.2, 8 * MiB, 1), MigrationMode::kPreCopy, false);
  EXPECT_DOUBLE_EQ(registry.TakeSnapshot().migrations[0].started_at, 1'700'000'000.6 - 10);
}

TEST(RegistryRecentOutcome, OnlyEndingsAtOrAfterSinceCount) {
  testing_support::FakeClock clock(1000);
  MigrationRegistry registry(NamingScheme::kDomain, clock);
  registry.SetNodes({"node-1"});
  const DomainRef d{"node-1", "u", "vm"};
  registry.OutgoingSample(d, DomainFacts{}, Running(1, 10 * MiB, 1), MigrationMode::kPreCopy, false);
  EndEvidence on_source;
  on_source.source_state = EndEvidence::SourceState::kRunning;
  registry.OutgoingEnded(d, on_source);  // recorded at 1000

  clock.Advance(30);
  ASSERT_TRUE(registry.RecentOutcome("node-1", "u", 1000).has_value());
  EXPECT_FALSE(registry.RecentOutcome("node-1", "u", 1000)->succeeded);
  EXPECT_FALSE(registry.RecentOutcome("node-1", "u", 1000.5).has_value()) << "ended before the asker started";

  registry.OutgoingSample(d, DomainFacts{}, Running(1, 10 * MiB, 1), MigrationMode::kPreCopy, false);
  EndEvidence migrated;
  migrated.stopped_migrated_event = true;
  registry.OutgoingEnded(d, migrated);  // recorded at 1030
  const auto newest = registry.RecentOutcome("node-1", "u", 1010);
  ASSERT_TRUE(newest.has_value());
  EXPECT_TRUE(newest->succeeded);
  EXPECT_TRUE(registry.RecentOutcome("node-1", "u", 1030).has_value());
  EXPECT_FALSE(registry.RecentOutcome("node-1", "u", 1030.5).has_value());
  EXPECT_FALSE(registry.RecentOutcome("node-2", "u", 0).has_value());
  EXPECT_FALSE(registry.RecentOutcome("node-1", "other", 0).has_value());
}

}  // namespace
}  // namespace migmon
