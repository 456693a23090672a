// The whole /metrics text for a fixed snapshot, against a golden file, and
// docs/metrics.md against what the catalog generates.
// Regenerate after a deliberate change: UPDATE_GOLDEN=1 ./metrics_render_test
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "exporter/metrics_doc.h"
#include "exporter/snapshot_collector.h"

namespace migmon::exporter {
namespace {

constexpr uint64_t MiB = 1 << 20;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void CompareWithFile(const std::string& actual, const std::string& relative_path) {
  const std::string path = std::string(MIGMON_SOURCE_DIR) + "/" + relative_path;
  if (std::getenv("UPDATE_GOLDEN")) {
    std::ofstream(path) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  EXPECT_EQ(ReadFile(path), actual) << relative_path << " is out of date; regenerate it";
}

NodeView Node(std::string name, bool up, std::string detail, uint64_t succeeded, uint64_t failed,
              uint64_t outbound, uint64_t inbound, uint64_t postcopy_failures) {
  NodeView n;
  n.name = std::move(name);
  n.up = up;
  n.detail = std::move(detail);
  n.succeeded = succeeded;
  n.failed = failed;
  n.outbound = outbound;
  n.inbound = inbound;
  n.durations = HistogramData({10, 60});
  n.postcopy_failures = postcopy_failures;
  return n;
}

Snapshot FixedSnapshot() {
  Snapshot s;
  MigrationView m;
  m.source = {"node-1", "uuid-a", "web"};
  m.vmi = {"default", "web"};
  m.target_node = "node-2";
  m.mode = MigrationMode::kPreCopy;
  m.last.elapsed_seconds = 12.5;
  m.last.expected_downtime_seconds = 0.3;
  m.last.data_total_bytes = 48 * MiB;
  m.last.data_processed_bytes = 40 * MiB;
  m.last.data_remaining_bytes = 8 * MiB;
  m.last.memory_total_bytes = 48 * MiB;
  m.last.memory_processed_bytes = 40 * MiB;
  m.last.memory_remaining_bytes = 8 * MiB;
  m.last.memory_bytes_per_second = 8.0 * MiB;
  m.last.dirty_bytes_per_second = 1.0 * MiB;
  m.last.memory_iteration = 2;
  m.last.allowed_downtime_seconds = 0.3;
  m.progress_ratio = 0.8;
  m.estimated_remaining_seconds = 8.0 / 7.0;
  m.completion_budget_seconds = 37.5;
  m.last_progress_timestamp_seconds = 1764115200.5;
  s.migrations.push_back(m);

  MigrationView blocked = m;
  blocked.source = {"node-2", "uuid-b", "db"};
  blocked.vmi = {"default", "db"};
  blocked.target_node = "";
  blocked.block_migration = true;
  blocked.mode = MigrationMode::kPostCopy;
  blocked.disk_rate = 2.0 * MiB;
  blocked.estimated_remaining_seconds.reset();
  s.migrations.push_back(blocked);

  NodeView n1 = Node("node-1", true, "connected", 3, 1, 1, 0, 0);
  n1.durations.Observe(5);
  n1.durations.Observe(30);
  n1.durations.Observe(100);
  n1.durations.Observe(7);
  n1.enforcer_actions = {{"abort", "progress_timeout", false, 2}, {"set_downtime", "escalation", false, 0}};
  s.nodes.push_back(n1);
  s.nodes.push_back(Node("node-2", false, "connection lost", 0, 0, 1, 1, 1));
  s.poll_durations = HistogramData({0.001, 0.01});
  s.poll_durations.Observe(0.0002);
  ApiView api;
  api.migrations_by_phase = {{"Pending", 2}, {"Running", 1}, {"Succeeded", 0}};
  api.oldest_pending_timestamp = 1764115100;
  api.requests = {{{"GET", 200}, 12}, {{"POST", 201}, 3}, {{"POST", 422}, 1}};
  api.launch_failures = {{"node-1", 0}, {"node-2", 1}};
  api.quarantined_objects = 1;
  s.api = api;
  return s;
}

TEST(MetricsRender, MatchesGoldenFile) {
  const std::string text = prometheus::TextSerializer().Serialize(RenderFamilies(FixedSnapshot()));
  CompareWithFile(text, "tests/golden/metrics.txt");
}

TEST(MetricsRender, EndedMigrationsHaveNoSeriesButNodeSeriesStay) {
  Snapshot s = FixedSnapshot();
  s.migrations.clear();
  const std::string text = prometheus::TextSerializer().Serialize(RenderFamilies(s));
  EXPECT_EQ(std::string::npos, text.find("migmon_migration_data_remaining_bytes{"));
  EXPECT_NE(std::string::npos, text.find("migmon_migrations_succeeded_total{node=\"node-1\"} 3"));
  EXPECT_NE(std::string::npos, text.find("migmon_libvirt_up{node=\"node-2\"} 0"));
}

TEST(MetricsRender, ApiSeriesOnlyWithTheApi) {
  Snapshot s = FixedSnapshot();
  s.api.reset();
  const std::string text = prometheus::TextSerializer().Serialize(RenderFamilies(s));
  EXPECT_EQ(std::string::npos, text.find("migmon_migrations{"));
  EXPECT_EQ(std::string::npos, text.find("migmon_queue_oldest_pending_timestamp_seconds"));
}

TEST(MetricsRender, EstimatedRemainingIsAbsentWhenUnknown) {
  const std::string text = prometheus::TextSerializer().Serialize(RenderFamilies(FixedSnapshot()));
  EXPECT_NE(std::string::npos, text.find("migmon_migration_estimated_remaining_seconds{namespace=\"default\",name=\"web\""));
  EXPECT_EQ(std::string::npos, text.find("migmon_migration_estimated_remaining_seconds{namespace=\"default\",name=\"db\""));
}

TEST(MetricsDoc, DocsMetricsMdIsGeneratedFromTheCatalog) {
  CompareWithFile(RenderMetricsDoc(), "docs/metrics.md");
}

}  // namespace
}  // namespace migmon::exporter
