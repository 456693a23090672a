#include "exporter/snapshot_collector.h"

#include <limits>

#include "metrics/catalog.h"
#include "samples/migration_method.h"

namespace migmon::exporter {
namespace {

using metrics::Scope;
using prometheus::ClientMetric;
using prometheus::MetricFamily;

// How one catalog metric is read from a snapshot; which of the three
// readers is set follows the metric's scope.
struct Reader {
  const metrics::MetricSpec& spec;
  // Per-migration gauges: the value, or nullopt for "no series now".
  std::function<std::optional<double>(const MigrationView&)> migration;
  // Per-node metrics: appends the node's series, with any labels beyond
  // `node`, which the renderer adds first.
  std::function<void(const NodeView&, std::vector<ClientMetric>&)> node;
  // Process metrics: appends the series (usually one; none to leave it out).
  std::function<void(const Snapshot&, std::vector<ClientMetric>&)> process;
};

using MigrationValue = std::function<std::optional<double>(const MigrationView&)>;

// Byte counts and rates read as 0 when libvirt leaves them out (e.g. disk
// figures of a migration without storage), so each series lives for the
// whole migration.
template <typename T>
MigrationValue OrZero(std::optional<T> JobSample::*field) {
  return [field](const MigrationView& m) -> std::optional<double> {
    return static_cast<double>((m.last.*field).value_or(T{}));
  };
}

Reader PerMigration(const char* name, MigrationValue value) {
  return {metrics::Spec(name), std::move(value), nullptr, nullptr};
}

// One series per node from a single value.
Reader PerNode(const char* name, std::function<void(const NodeView&, ClientMetric&)> fill) {
  return {metrics::Spec(name), nullptr,
          [fill = std::move(fill)](const NodeView& n, std::vector<ClientMetric>& out) { fill(n, out.emplace_back()); },
          nullptr};
}
Reader NodeCounter(const char* name, uint64_t NodeView::*field) {
  return PerNode(name, [field](const NodeView& n, ClientMetric& m) { m.counter.value = static_cast<double>(n.*field); });
}
Reader NodeGauge(const char* name, uint64_t NodeView::*field) {
  return PerNode(name, [field](const NodeView& n, ClientMetric& m) { m.gauge.value = static_cast<double>(n.*field); });
}

Reader Process(const char* name, std::function<void(const Snapshot&, std::vector<ClientMetric>&)> fill) {
  return {metrics::Spec(name), nullptr, nullptr, std::move(fill)};
}

std::vector<Reader> BuildReaders() {
  std::vector<Reader> r;
  r.push_back(PerMigration("migmon_migration_data_total_bytes", OrZero(&JobSample::data_total_bytes)));
  r.push_back(PerMigration("migmon_migration_data_processed_bytes", OrZero(&JobSample::data_processed_bytes)));
  r.push_back(PerMigration("migmon_migration_data_remaining_bytes", OrZero(&JobSample::data_remaining_bytes)));
  r.push_back(PerMigration("migmon_migration_memory_total_bytes", OrZero(&JobSample::memory_total_bytes)));
  r.push_back(PerMigration("migmon_migration_memory_processed_bytes", OrZero(&JobSample::memory_processed_bytes)));
  r.push_back(PerMigration("migmon_migration_memory_remaining_bytes", OrZero(&JobSample::memory_remaining_bytes)));
  r.push_back(PerMigration("migmon_migration_disk_total_bytes", OrZero(&JobSample::disk_total_bytes)));
  r.push_back(PerMigration("migmon_migration_disk_processed_bytes", OrZero(&JobSample::disk_processed_bytes)));
  r.push_back(PerMigration("migmon_migration_disk_remaining_bytes", OrZero(&JobSample::disk_remaining_bytes)));
  r.push_back(PerMigration("migmon_migration_memory_transfer_rate_bytes_per_second",
                           OrZero(&JobSample::memory_bytes_per_second)));
  r.push_back(PerMigration("migmon_migration_disk_transfer_rate_bytes_per_second",
                           [](const MigrationView& m) -> std::optional<double> { return m.disk_rate.value_or(0.0); }));
  r.push_back(PerMigration("migmon_migration_dirty_rate_bytes_per_second", OrZero(&JobSample::dirty_bytes_per_second)));
  r.push_back(PerMigration("migmon_migration_iteration", OrZero(&JobSample::memory_iteration)));
  r.push_back(PerMigration("migmon_migration_elapsed_seconds", OrZero(&JobSample::elapsed_seconds)));
  r.push_back(PerMigration("migmon_migration_expected_downtime_seconds", OrZero(&JobSample::expected_downtime_seconds)));
  r.push_back(PerMigration("migmon_migration_auto_converge_throttle_ratio",
                           OrZero(&JobSample::auto_converge_throttle_ratio)));
  r.push_back(PerMigration("migmon_migration_progress_ratio",
                           [](const MigrationView& m) -> std::optional<double> { return m.progress_ratio; }));
  r.push_back(PerMigration("migmon_migration_estimated_remaining_seconds",
                           [](const MigrationView& m) { return m.prediction.eta_seconds; }));
  r.push_back(PerMigration("migmon_migration_predicted_total_bytes", [](const MigrationView& m) {
    return m.prediction.total_bytes ? std::optional<double>(static_cast<double>(*m.prediction.total_bytes)) : std::nullopt;
  }));
  r.push_back(PerMigration("migmon_migration_dirty_transfer_ratio", [](const MigrationView& m) { return m.prediction.ratio; }));
  r.push_back(PerMigration("migmon_migration_working_set_floor_bytes", [](const MigrationView& m) {
    return m.prediction.floor_bytes ? std::optional<double>(static_cast<double>(*m.prediction.floor_bytes)) : std::nullopt;
  }));
  r.push_back(PerMigration("migmon_migration_switchover_downtime_seconds",
                           [](const MigrationView& m) { return m.prediction.switchover_seconds; }));
  r.push_back(PerMigration("migmon_migration_will_not_converge", [](const MigrationView& m) -> std::optional<double> {
    if (m.prediction.verdict == Verdict::kUnknown) return std::nullopt;
    return m.prediction.verdict == Verdict::kWillNotConverge ? 1.0 : 0.0;
  }));
  r.push_back(PerMigration("migmon_migration_max_downtime_seconds",
                           [](const MigrationView& m) { return m.last.allowed_downtime_seconds; }));
  r.push_back(PerMigration("migmon_migration_info", [](const MigrationView&) -> std::optional<double> { return 1.0; }));

  r.push_back(NodeCounter("migmon_migrations_succeeded_total", &NodeView::succeeded));
  r.push_back(NodeCounter("migmon_migrations_failed_total", &NodeView::failed));
  r.push_back(PerNode("migmon_migration_duration_seconds",
                      [](const NodeView& n, ClientMetric& m) { m.histogram = ToHistogram(n.durations); }));
  r.push_back(PerNode("migmon_migration_downtime_seconds",
                      [](const NodeView& n, ClientMetric& m) { m.histogram = ToHistogram(n.downtimes); }));
  r.push_back(PerNode("migmon_migration_setup_seconds",
                      [](const NodeView& n, ClientMetric& m) { m.histogram = ToHistogram(n.setups); }));
  r.push_back(NodeGauge("migmon_node_outbound_migrations", &NodeView::outbound));
  r.push_back(NodeGauge("migmon_node_inbound_migrations", &NodeView::inbound));
  r.push_back(NodeGauge("migmon_node_domains", &NodeView::domain_count));
  r.push_back(NodeCounter("migmon_node_sweeps_total", &NodeView::sweeps));
  r.push_back(PerNode("migmon_libvirt_up", [](const NodeView& n, ClientMetric& m) { m.gauge.value = n.up ? 1.0 : 0.0; }));
  r.push_back(NodeCounter("migmon_postcopy_failures_total", &NodeView::postcopy_failures));

  r.push_back(Process("migmon_poll_duration_seconds", [](const Snapshot& s, std::vector<ClientMetric>& out) {
    out.emplace_back().histogram = ToHistogram(s.poll_durations);
  }));
  r.push_back(Process("migmon_build_info", [](const Snapshot&, std::vector<ClientMetric>& out) {
    ClientMetric& m = out.emplace_back();
    m.label = {{"version", MIGMON_VERSION}};
    m.gauge.value = 1;
  }));
  return r;
}

// Resolved once: an unknown name fails at the first scrape (and in the tests).
const std::vector<Reader>& Readers() {
  static const std::vector<Reader> readers = BuildReaders();
  return readers;
}

std::vector<ClientMetric::Label> MigrationLabels(const metrics::MetricSpec& spec, const MigrationView& m) {
  std::vector<ClientMetric::Label> labels = {
      {"namespace", m.vmi.name_space}, {"name", m.vmi.name}, {"node", m.source.node}};
  if (spec.labels.size() > labels.size()) {  // migmon_migration_info
    labels.push_back({"target_node", m.target_node});
    labels.push_back({"mode", ModeName(m.mode)});
    labels.push_back({"method", MigrationMethodName(m.block_migration)});
  }
  return labels;
}

}  // namespace

ClientMetric::Histogram ToHistogram(const HistogramData& h) {
  ClientMetric::Histogram out;
  out.sample_count = h.count;
  out.sample_sum = h.sum;
  for (size_t i = 0; i < h.bounds.size(); ++i) {
    out.bucket.push_back({h.bucket_counts[i], h.bounds[i]});
  }
  out.bucket.push_back({h.count, std::numeric_limits<double>::infinity()});
  return out;
}

std::vector<MetricFamily> RenderFamilies(const Snapshot& snapshot) {
  std::vector<MetricFamily> families;
  for (const Reader& reader : Readers()) {
    MetricFamily family = metrics::EmptyFamily(reader.spec);
    switch (reader.spec.scope) {
      case Scope::kPerMigration:
        for (const MigrationView& m : snapshot.migrations) {
          const auto value = reader.migration(m);
          if (!value) continue;
          ClientMetric metric;
          metric.label = MigrationLabels(reader.spec, m);
          metric.gauge.value = *value;
          family.metric.push_back(std::move(metric));
        }
        break;
      case Scope::kPerNode:
        for (const NodeView& n : snapshot.nodes) {
          std::vector<ClientMetric> series;
          reader.node(n, series);
          for (ClientMetric& metric : series) {
            metric.label.insert(metric.label.begin(), {"node", n.name});
            family.metric.push_back(std::move(metric));
          }
        }
        break;
      case Scope::kProcess:
        reader.process(snapshot, family.metric);
        break;
    }
    metrics::AppendIfAny(families, std::move(family));
  }
  metrics::SortByCatalog(families);
  return families;
}

}  // namespace migmon::exporter
