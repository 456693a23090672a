#include "exporter/catalog.h"

#include <limits>
#include <stdexcept>

namespace migmon::exporter {
namespace {

using prometheus::MetricType;
using Reader = std::function<std::optional<double>(const MigrationView&)>;

// Byte counts and rates read as 0 when libvirt leaves them out (e.g. disk
// figures of a migration without storage), so each series lives for the
// whole migration.
template <typename T>
Reader OrZero(std::optional<T> JobSample::*field) {
  return [field](const MigrationView& m) -> std::optional<double> {
    return static_cast<double>((m.last.*field).value_or(T{}));
  };
}

MetricSpec PerMigration(std::string suffix, std::string help, Reader value) {
  return MetricSpec{"migmon_migration_" + std::move(suffix), MetricType::Gauge, std::move(help),
                    kMigrationLabels, Scope::kPerMigration, std::move(value), nullptr, nullptr};
}

using prometheus::ClientMetric;
using NodeReader = std::function<void(const NodeView&, std::vector<ClientMetric>&)>;

MetricSpec PerNode(std::string name, MetricType type, std::string help, NodeReader value) {
  return MetricSpec{std::move(name), type, std::move(help), {"node"}, Scope::kPerNode, nullptr,
                    std::move(value), nullptr};
}

// One series per node from a single value.
NodeReader OneSeries(std::function<void(const NodeView&, ClientMetric&)> fill) {
  return [fill = std::move(fill)](const NodeView& n, std::vector<ClientMetric>& out) {
    ClientMetric m;
    fill(n, m);
    out.push_back(std::move(m));
  };
}
using ProcessReader = std::function<void(const Snapshot&, std::vector<ClientMetric>&)>;

MetricSpec Process(std::string name, MetricType type, std::string help, std::vector<std::string> labels,
                   ProcessReader value) {
  return MetricSpec{std::move(name), type, std::move(help), std::move(labels), Scope::kProcess, nullptr, nullptr,
                    std::move(value)};
}

NodeReader NodeCounter(uint64_t NodeView::*field) {
  return OneSeries([field](const NodeView& n, ClientMetric& m) { m.counter.value = static_cast<double>(n.*field); });
}
NodeReader NodeGauge(uint64_t NodeView::*field) {
  return OneSeries([field](const NodeView& n, ClientMetric& m) { m.gauge.value = static_cast<double>(n.*field); });
}

std::vector<MetricSpec> BuildCatalog() {
  std::vector<MetricSpec> c;
  c.push_back(PerMigration("data_total_bytes", "Total bytes the migration job expects to move (libvirt data_total).", OrZero(&JobSample::data_total_bytes)));
  c.push_back(PerMigration("data_processed_bytes", "Bytes moved so far, memory and disks (libvirt data_processed).", OrZero(&JobSample::data_processed_bytes)));
  c.push_back(PerMigration("data_remaining_bytes", "Bytes still to move, memory and disks (libvirt data_remaining).", OrZero(&JobSample::data_remaining_bytes)));
  c.push_back(PerMigration("memory_total_bytes", "Guest memory the migration covers.", OrZero(&JobSample::memory_total_bytes)));
  c.push_back(PerMigration("memory_processed_bytes", "Memory bytes sent so far, resent pages included.", OrZero(&JobSample::memory_processed_bytes)));
  c.push_back(PerMigration("memory_remaining_bytes", "Memory bytes still to send in the current pass.", OrZero(&JobSample::memory_remaining_bytes)));
  c.push_back(PerMigration("disk_total_bytes", "Disk bytes a block migration copies (0 without storage copy).", OrZero(&JobSample::disk_total_bytes)));
  c.push_back(PerMigration("disk_processed_bytes", "Disk bytes copied so far.", OrZero(&JobSample::disk_processed_bytes)));
  c.push_back(PerMigration("disk_remaining_bytes", "Disk bytes still to copy.", OrZero(&JobSample::disk_remaining_bytes)));
  c.push_back(PerMigration("memory_transfer_rate_bytes_per_second", "Rate at which memory is sent (libvirt memory_bps).", OrZero(&JobSample::memory_bytes_per_second)));
  c.push_back(PerMigration("disk_transfer_rate_bytes_per_second", "Rate at which disks are copied: libvirt disk_bps, or derived from disk_processed between polls when libvirt gives none.",
                           [](const MigrationView& m) -> std::optional<double> { return m.disk_rate.value_or(0.0); }));
  c.push_back(PerMigration("dirty_rate_bytes_per_second", "Rate at which the guest dirties memory: libvirt memory_dirty_rate (pages/s) times the page size.", OrZero(&JobSample::dirty_bytes_per_second)));
  c.push_back(PerMigration("iteration", "Memory pass the migration is in (libvirt memory_iteration; 0 during a block migration's disk phase).", OrZero(&JobSample::memory_iteration)));
  c.push_back(PerMigration("elapsed_seconds", "Time since the migration job started (libvirt time_elapsed).", OrZero(&JobSample::elapsed_seconds)));
  c.push_back(PerMigration("expected_downtime_seconds", "Downtime QEMU expects if it switched over now (libvirt downtime).", OrZero(&JobSample::expected_downtime_seconds)));
  c.push_back(PerMigration("auto_converge_throttle_ratio", "CPU throttle auto-converge applies to the guest, 0..1.", OrZero(&JobSample::auto_converge_throttle_ratio)));
  c.push_back(PerMigration("progress_ratio", "Progress 0..1 that never goes backwards: max over the migration of 1 - (memory left + disk left) / (guest memory + disk total).",
                           [](const MigrationView& m) -> std::optional<double> { return m.progress_ratio; }));
  c.push_back(PerMigration("estimated_remaining_seconds", "Seconds left at the current net rate: data remaining / (transfer rate - dirty rate); absent while that rate is not positive or in post-copy.",
                           [](const MigrationView& m) { return m.estimated_remaining_seconds; }));
  c.push_back(PerMigration("completion_budget_seconds", "Time the migration may take under completionTimeoutPerGiB: that many seconds per GiB of guest memory plus copied disks; absent when the timeout is off.",
                           [](const MigrationView& m) { return m.completion_budget_seconds; }));
  c.push_back(PerMigration("last_progress_timestamp_seconds", "When the migration last made real progress (the rule behind progressTimeout), Unix time.",
                           [](const MigrationView& m) { return m.last_progress_timestamp_seconds; }));
  c.push_back(PerMigration("max_downtime_seconds", "Downtime libvirt currently allows at the switch-over (raised by escalation steps).",
                           [](const MigrationView& m) { return m.last.allowed_downtime_seconds; }));
  c.push_back(MetricSpec{"migmon_migration_info", MetricType::Gauge,
                         "Always 1 for each active migration; labels give the target node (empty when unknown), mode (PreCopy, PostCopy, PostCopyFailed) and method (LiveMigration, BlockMigration).",
                         {"namespace", "name", "node", "target_node", "mode", "method"}, Scope::kPerMigration,
                         [](const MigrationView&) -> std::optional<double> { return 1.0; }, nullptr, nullptr});

  c.push_back(PerNode("migmon_migrations_succeeded_total", MetricType::Counter, "Outgoing migrations from this node that ended with the domain on the target.", NodeCounter(&NodeView::succeeded)));
  c.push_back(PerNode("migmon_migrations_failed_total", MetricType::Counter, "Outgoing migrations from this node that ended without moving the domain (failed, aborted, cancelled).", NodeCounter(&NodeView::failed)));
  c.push_back(PerNode("migmon_migration_duration_seconds", MetricType::Histogram, "Duration of ended outgoing migrations from this node, by libvirt's job time.",
                      OneSeries([](const NodeView& n, ClientMetric& m) { m.histogram = ToHistogram(n.durations); })));
  c.push_back(PerNode("migmon_node_outbound_migrations", MetricType::Gauge, "Active migrations leaving this node.", NodeGauge(&NodeView::outbound)));
  c.push_back(PerNode("migmon_node_inbound_migrations", MetricType::Gauge, "Active migrations arriving on this node.", NodeGauge(&NodeView::inbound)));
  c.push_back(PerNode("migmon_libvirt_up", MetricType::Gauge, "1 while the connection to this node's libvirtd is up, else 0.",
                      OneSeries([](const NodeView& n, ClientMetric& m) { m.gauge.value = n.up ? 1.0 : 0.0; })));
  c.push_back(PerNode("migmon_postcopy_failures_total", MetricType::Counter, "Migrations from this node whose post-copy failed, leaving the guest paused on both nodes: each needs a human.", NodeCounter(&NodeView::postcopy_failures)));
  c.push_back(MetricSpec{"migmon_enforcer_actions_total", MetricType::Counter,
                         "Actions the enforcer took on migrations from this node (dry_run=\"true\": would have taken, in observe mode), by action (abort, postcopy, set_downtime) and reason (progress_timeout, completion_timeout, escalation).",
                         {"node", "action", "reason", "dry_run"}, Scope::kPerNode, nullptr,
                         [](const NodeView& n, std::vector<ClientMetric>& out) {
                           for (const ActionCount& a : n.enforcer_actions) {
                             ClientMetric m;
                             m.label = {{"action", a.action}, {"reason", a.reason}, {"dry_run", a.dry_run ? "true" : "false"}};
                             m.counter.value = static_cast<double>(a.count);
                             out.push_back(std::move(m));
                           }
                         },
                         nullptr});

  c.push_back(Process("migmon_poll_duration_seconds", MetricType::Histogram, "Time one poll of a node's active migrations took.", {},
                      [](const Snapshot& s, std::vector<ClientMetric>& out) {
                        out.emplace_back().histogram = ToHistogram(s.poll_durations);
                      }));
  c.push_back(Process("migmon_build_info", MetricType::Gauge, "Always 1; the version label says which build runs.", {"version"},
                      [](const Snapshot&, std::vector<ClientMetric>& out) {
                        ClientMetric& m = out.emplace_back();
                        m.label = {{"version", MIGMON_VERSION}};
                        m.gauge.value = 1;
                      }));

  // The migration API (api.enabled): absent otherwise.
  c.push_back(Process("migmon_migrations", MetricType::Gauge, "Migration objects by phase (Pending, Scheduling, Scheduled, PreparingTarget, TargetReady, Running, Succeeded, Failed).", {"phase"},
                      [](const Snapshot& s, std::vector<ClientMetric>& out) {
                        if (!s.api) return;
                        for (const auto& [phase, count] : s.api->migrations_by_phase) {
                          ClientMetric& m = out.emplace_back();
                          m.label = {{"phase", phase}};
                          m.gauge.value = static_cast<double>(count);
                        }
                      }));
  c.push_back(Process("migmon_queue_oldest_pending_timestamp_seconds", MetricType::Gauge, "When the oldest Pending migration object was created, Unix time; absent while nothing is pending.", {},
                      [](const Snapshot& s, std::vector<ClientMetric>& out) {
                        if (s.api && s.api->oldest_pending_timestamp) out.emplace_back().gauge.value = *s.api->oldest_pending_timestamp;
                      }));
  c.push_back(Process("migmon_api_requests_total", MetricType::Counter, "API requests answered, by HTTP method and status code (monitoring endpoints excluded).", {"method", "code"},
                      [](const Snapshot& s, std::vector<ClientMetric>& out) {
                        if (!s.api) return;
                        for (const auto& [key, count] : s.api->requests) {
                          ClientMetric& m = out.emplace_back();
                          m.label = {{"method", key.first}, {"code", std::to_string(key.second)}};
                          m.counter.value = static_cast<double>(count);
                        }
                      }));
  c.push_back(Process("migmon_launch_failures_total", MetricType::Counter, "Migrations the API launched from this node that failed before libvirt ran them.", {"node"},
                      [](const Snapshot& s, std::vector<ClientMetric>& out) {
                        if (!s.api) return;
                        for (const auto& [node, count] : s.api->launch_failures) {
                          ClientMetric& m = out.emplace_back();
                          m.label = {{"node", node}};
                          m.counter.value = static_cast<double>(count);
                        }
                      }));
  c.push_back(Process("migmon_store_quarantined_objects", MetricType::Gauge, "Stored migration objects set aside at start-up because they could not be read (kept in objects.db's quarantine table; the log names each).", {},
                      [](const Snapshot& s, std::vector<ClientMetric>& out) {
                        if (s.api) out.emplace_back().gauge.value = static_cast<double>(s.api->quarantined_objects);
                      }));
  return c;
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

const std::vector<MetricSpec>& Catalog() {
  static const std::vector<MetricSpec> catalog = BuildCatalog();
  return catalog;
}

const MetricSpec& Spec(const std::string& name) {
  for (const auto& spec : Catalog()) {
    if (spec.name == name) return spec;
  }
  throw std::out_of_range("no metric named " + name);
}

std::string MethodLabel(bool block_migration) {
  return block_migration ? "BlockMigration" : "LiveMigration";
}

}  // namespace migmon::exporter
