// The read-only VMI objects (api/vmi_objects.h): the same migration gives
// the same startTimestamp at every poll, whatever the time between the
// last sample and the call, so a VMI watch reports no change when nothing
// changed.
#include "api/vmi_objects.h"

#include <gtest/gtest.h>

#include "tests/unit/fake_clock.h"
#include "util/time_format.h"

namespace migmon::api {
namespace {

Snapshot Migrating(SteadyTime sampled_at, double elapsed) {
  Snapshot s;
  NodeView n;
  n.name = "node-1";
  n.up = true;
  n.sweeps = 1;
  n.domains = {{"u-web", "web", 1ull << 30, true, false, "running"}};
  s.nodes = {n};
  MigrationView m;
  m.source = {"node-1", "u-web", "web"};
  m.vmi = {"default", "web"};
  m.target_node = "node-2";
  m.block_migration = true;
  m.last.sampled_at = sampled_at;
  m.last.elapsed_seconds = elapsed;
  s.migrations = {m};
  return s;
}

nlohmann::json StateOf(const std::vector<nlohmann::json>& vmis) {
  EXPECT_EQ(vmis.size(), 1u);
  return vmis.at(0)["status"]["migrationState"];
}

TEST(VmiObjects, TheStartTimestampDoesNotMoveBetweenPolls) {
  // 0.6 s past a whole second: a start computed as now - elapsed flips
  // its rounded second as the poll's time moves on.
  testing_support::FakeClock clock(1'699'999'900.6);
  clock.Advance(100);  // a steady clock that has run a while
  const Snapshot first = Migrating(clock.SteadyNow(), 10);
  const auto before = StateOf(VmiObjects(first, NamingScheme::kDomain, std::nullopt, clock));
  clock.Advance(0.5);  // the next poll, before the next sample
  const auto later = StateOf(VmiObjects(first, NamingScheme::kDomain, std::nullopt, clock));
  EXPECT_EQ(later["startTimestamp"], before["startTimestamp"]);
  const Snapshot next = Migrating(clock.SteadyNow(), 10.5);  // the next sample
  clock.Advance(0.7);
  const auto sampled = StateOf(VmiObjects(next, NamingScheme::kDomain, std::nullopt, clock));
  EXPECT_EQ(sampled, before);
  EXPECT_EQ(before["startTimestamp"], Rfc3339(1'700'000'000.6 - 10));
  EXPECT_EQ(before["migrationMethod"], "BlockMigration");
}

}  // namespace
}  // namespace migmon::api
