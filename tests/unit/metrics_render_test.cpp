// The whole /metrics text for fixed figures of every stage (the tracker's
// snapshot, the enforcer's figures, the API's figures), gathered as the
// HTTP server gathers them, against a golden file; each collector alone
// with plain values; and docs/metrics.md against what the catalog generates.
// Regenerate after a deliberate change: UPDATE_GOLDEN=1 ./metrics_render_test
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "enforcer/metrics_collector.h"
#include "exporter/api_collector.h"
#include "exporter/http_server.h"
#include "exporter/metrics_doc.h"
#include "exporter/snapshot_collector.h"
#include "metrics/catalog.h"

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
  m.prediction.eta_seconds = 8.0 / 7.0;
  m.prediction.total_bytes = 50 * MiB;
  m.prediction.ratio = 0.125;
  m.prediction.switchover_seconds = 1.0;
  m.prediction.verdict = Verdict::kConverges;
  s.migrations.push_back(m);

  MigrationView blocked = m;
  blocked.source = {"node-2", "uuid-b", "db"};
  blocked.vmi = {"default", "db"};
  blocked.target_node = "";
  blocked.block_migration = true;
  blocked.mode = MigrationMode::kPostCopy;
  blocked.disk_rate = 2.0 * MiB;
  blocked.prediction = Prediction{};  // post-copy: no model
  blocked.prediction.floor_bytes = 6 * MiB;  // as if a pre-copy had stalled first
  blocked.prediction.verdict = Verdict::kWillNotConverge;
  s.migrations.push_back(blocked);

  NodeView n1 = Node("node-1", true, "connected", 3, 1, 1, 0, 0);
  n1.durations.Observe(5);
  n1.durations.Observe(30);
  n1.durations.Observe(100);
  n1.domain_count = 12;  // a light snapshot: the count without the list
  n1.sweeps = 40;
  n1.durations.Observe(7);
  s.nodes.push_back(n1);
  s.nodes.push_back(Node("node-2", false, "connection lost", 0, 0, 1, 1, 1));
  s.poll_durations = HistogramData({0.001, 0.01});
  s.poll_durations.Observe(0.0002);
  return s;
}

enforcer::EnforcerFigures FixedEnforcerFigures() {
  enforcer::EnforcerFigures f;
  f.migrations = {{"node-1", "default", "web", 37.5, 1764115200.5}, {"node-2", "default", "db", 37.5, 1764115200.5}};
  f.actions = {{"node-1", "abort", "progress_timeout", false, 2}, {"node-1", "set_downtime", "escalation", false, 0}};
  return f;
}

ApiFigures FixedApiFigures() {
  ApiFigures api;
  api.migrations_by_phase = {{"Pending", 2}, {"Running", 1}, {"Succeeded", 0}};
  api.oldest_pending_timestamp = 1764115100;
  api.requests = {{{"GET", 200}, 12}, {{"POST", 201}, 3}, {{"POST", 422}, 1}};
  api.launch_failures = {{"node-1", 0}, {"node-2", 1}};
  api.quarantined_objects = 1;
  return api;
}

// /metrics as the HTTP server renders it from the three stages' collectors.
std::string Scrape(const Snapshot& snapshot, const enforcer::EnforcerFigures& enforcer,
                   const std::optional<ApiFigures>& api) {
  const std::vector<std::shared_ptr<prometheus::Collectable>> collectables = {
      std::make_shared<ApiCollector>([api] { return api; }),  // any order: the catalog orders
      std::make_shared<SnapshotCollector>([snapshot] { return snapshot; }),
      std::make_shared<enforcer::EnforcerCollector>([enforcer] { return enforcer; }),
  };
  return prometheus::TextSerializer().Serialize(CollectAll(collectables));
}

std::string FixedScrape() { return Scrape(FixedSnapshot(), FixedEnforcerFigures(), FixedApiFigures()); }

std::string Text(const std::vector<prometheus::MetricFamily>& families) {
  return prometheus::TextSerializer().Serialize(families);
}

TEST(MetricsRender, MatchesGoldenFile) { CompareWithFile(FixedScrape(), "tests/golden/metrics.txt"); }

TEST(MetricsRender, EveryCatalogMetricIsRenderedBySomeStage) {
  const std::string text = FixedScrape();
  std::set<std::string> names;
  for (const metrics::MetricSpec& spec : metrics::Catalog()) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name << " is declared twice";
    EXPECT_NE(std::string::npos, text.find("# HELP " + spec.name + " ")) << spec.name;
  }
}

TEST(MetricsRender, EndedMigrationsHaveNoSeriesButNodeSeriesStay) {
  Snapshot s = FixedSnapshot();
  s.migrations.clear();
  const std::string text = Text(RenderFamilies(s));
  EXPECT_EQ(std::string::npos, text.find("migmon_migration_data_remaining_bytes{"));
  EXPECT_NE(std::string::npos, text.find("migmon_migrations_succeeded_total{node=\"node-1\"} 3"));
  EXPECT_NE(std::string::npos, text.find("migmon_libvirt_up{node=\"node-2\"} 0"));
}

TEST(MetricsRender, ApiSeriesOnlyWithTheApi) {
  const std::string text = Scrape(FixedSnapshot(), FixedEnforcerFigures(), std::nullopt);
  EXPECT_EQ(std::string::npos, text.find("migmon_migrations{"));
  EXPECT_EQ(std::string::npos, text.find("migmon_queue_oldest_pending_timestamp_seconds"));
  EXPECT_EQ(std::string::npos, text.find("migmon_store_quarantined_objects"));
  EXPECT_NE(std::string::npos, text.find("migmon_enforcer_actions_total{"));
}

TEST(MetricsRender, TheTrackerRendersOnlyItsOwnMetrics) {
  const std::string text = Text(RenderFamilies(FixedSnapshot()));
  EXPECT_NE(std::string::npos, text.find("migmon_migration_progress_ratio{"));
  EXPECT_EQ(std::string::npos, text.find("migmon_migration_completion_budget_seconds"));
  EXPECT_EQ(std::string::npos, text.find("migmon_enforcer_actions_total"));
  EXPECT_EQ(std::string::npos, text.find("migmon_migrations{"));
}

TEST(EnforcerCollector, RendersPlainFigures) {
  enforcer::EnforcerFigures f;
  f.migrations = {{"node-1", "ns", "a", std::nullopt, 100.25}, {"node-1", "ns", "b", 12.0, 200}};
  f.actions = {{"node-1", "abort", "completion_timeout", true, 3}};
  EXPECT_EQ(Text(enforcer::RenderEnforcerFamilies(f)),
            "# HELP migmon_migration_completion_budget_seconds " +
                metrics::Spec("migmon_migration_completion_budget_seconds").help +
                "\n# TYPE migmon_migration_completion_budget_seconds gauge\n"
                "migmon_migration_completion_budget_seconds{namespace=\"ns\",name=\"b\",node=\"node-1\"} 12\n"
                "# HELP migmon_migration_last_progress_timestamp_seconds " +
                metrics::Spec("migmon_migration_last_progress_timestamp_seconds").help +
                "\n# TYPE migmon_migration_last_progress_timestamp_seconds gauge\n"
                "migmon_migration_last_progress_timestamp_seconds{namespace=\"ns\",name=\"a\",node=\"node-1\"} 100.25\n"
                "migmon_migration_last_progress_timestamp_seconds{namespace=\"ns\",name=\"b\",node=\"node-1\"} 200\n"
                "# HELP migmon_enforcer_actions_total " + metrics::Spec("migmon_enforcer_actions_total").help +
                "\n# TYPE migmon_enforcer_actions_total counter\n"
                "migmon_enforcer_actions_total{node=\"node-1\",action=\"abort\",reason=\"completion_timeout\","
                "dry_run=\"true\"} 3\n");
  EXPECT_TRUE(enforcer::RenderEnforcerFamilies({}).empty()) << "no empty families";
}

TEST(ApiCollector, RendersPlainFigures) {
  ApiFigures api;
  api.migrations_by_phase = {{"Failed", 0}, {"Pending", 4}};
  api.requests = {{{"DELETE", 404}, 2}};
  const std::string text = Text(RenderApiFamilies(api));
  EXPECT_NE(std::string::npos, text.find("migmon_migrations{phase=\"Failed\"} 0\n"));
  EXPECT_NE(std::string::npos, text.find("migmon_migrations{phase=\"Pending\"} 4\n"));
  EXPECT_NE(std::string::npos, text.find("migmon_api_requests_total{method=\"DELETE\",code=\"404\"} 2\n"));
  EXPECT_NE(std::string::npos, text.find("migmon_store_quarantined_objects 0\n"));
  EXPECT_EQ(std::string::npos, text.find("migmon_queue_oldest_pending_timestamp_seconds")) << "nothing pending";
  EXPECT_EQ(std::string::npos, text.find("migmon_launch_failures_total")) << "no nodes";
  EXPECT_TRUE(ApiCollector([] { return std::optional<ApiFigures>(); }).Collect().empty());
  EXPECT_EQ(ApiCollector([api] { return std::optional<ApiFigures>(api); }).Collect().size(), 3u);
}

TEST(MetricsRender, EstimatedRemainingIsAbsentWhenUnknown) {
  const std::string text = FixedScrape();
  EXPECT_NE(std::string::npos, text.find("migmon_migration_estimated_remaining_seconds{namespace=\"default\",name=\"web\""));
  EXPECT_EQ(std::string::npos, text.find("migmon_migration_estimated_remaining_seconds{namespace=\"default\",name=\"db\""));
}

TEST(MetricsDoc, DocsMetricsMdIsGeneratedFromTheCatalog) {
  CompareWithFile(RenderMetricsDoc(), "docs/metrics.md");
}

}  // namespace
}  // namespace migmon::exporter
