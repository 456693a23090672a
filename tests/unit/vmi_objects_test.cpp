// The read-only VMI objects (api/vmi_objects.h): one per domain, with the
// migration's state while it runs; its startTimestamp is the start the
// tracker fixed (MigrationView::started_at), so the same snapshot always
// gives the same objects and a VMI watch reports no change when nothing
// changed.
#include "api/vmi_objects.h"

#include <gtest/gtest.h>

#include "util/time_format.h"

namespace migmon::api {
namespace {

Snapshot Migrating(double started_at, double elapsed) {
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
  m.last.elapsed_seconds = elapsed;
  m.started_at = started_at;
  s.migrations = {m};
  return s;
}

nlohmann::json StateOf(const std::vector<nlohmann::json>& vmis) {
  EXPECT_EQ(vmis.size(), 1u);
  return vmis.at(0)["status"]["migrationState"];
}

TEST(VmiObjects, AMigratingVmiCarriesTheTrackersStartAndItsMethod) {
  const auto state = StateOf(VmiObjects(Migrating(1'699'999'990.6, 10), NamingScheme::kDomain, std::nullopt));
  EXPECT_EQ(state["startTimestamp"], Rfc3339(1'699'999'990.6));
  EXPECT_EQ(state["migrationMethod"], "BlockMigration");
  EXPECT_EQ(state["sourceNode"], "node-1");
  EXPECT_EQ(state["targetNode"], "node-2");
  // A later sample (more elapsed) of the same job: the object does not change.
  EXPECT_EQ(StateOf(VmiObjects(Migrating(1'699'999'990.6, 11.3), NamingScheme::kDomain, std::nullopt)), state);
}

}  // namespace
}  // namespace migmon::api
