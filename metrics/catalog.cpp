#include "metrics/catalog.h"

#include <algorithm>
#include <stdexcept>

namespace migmon::metrics {
namespace {

using prometheus::MetricType;

MetricSpec PerMigration(std::string name, std::string help) {
  return {std::move(name), MetricType::Gauge, std::move(help), kMigrationLabels, Scope::kPerMigration};
}

MetricSpec PerNode(std::string name, MetricType type, std::string help) {
  return {std::move(name), type, std::move(help), {"node"}, Scope::kPerNode};
}

// Grouped by scope (docs/metrics.md has a section per scope); within a
// scope, the order /metrics shows.
std::vector<MetricSpec> BuildCatalog() {
  // clang-format off
  return {
      // Tracker figures (exporter/snapshot_collector.cpp).
      PerMigration("migmon_migration_data_total_bytes", "Total bytes the migration job expects to move (libvirt data_total)."),
      PerMigration("migmon_migration_data_processed_bytes", "Bytes moved so far, memory and disks (libvirt data_processed)."),
      PerMigration("migmon_migration_data_remaining_bytes", "Bytes still to move, memory and disks (libvirt data_remaining)."),
      PerMigration("migmon_migration_memory_total_bytes", "Guest memory the migration covers."),
      PerMigration("migmon_migration_memory_processed_bytes", "Memory bytes sent so far, resent pages included."),
      PerMigration("migmon_migration_memory_remaining_bytes", "Memory bytes still to send in the current pass."),
      PerMigration("migmon_migration_disk_total_bytes", "Disk bytes a block migration copies (0 without storage copy)."),
      PerMigration("migmon_migration_disk_processed_bytes", "Disk bytes copied so far."),
      PerMigration("migmon_migration_disk_remaining_bytes", "Disk bytes still to copy."),
      PerMigration("migmon_migration_memory_transfer_rate_bytes_per_second", "Rate at which memory is sent (libvirt memory_bps)."),
      PerMigration("migmon_migration_disk_transfer_rate_bytes_per_second", "Rate at which disks are copied: libvirt disk_bps, or derived from disk_processed between polls when libvirt gives none."),
      PerMigration("migmon_migration_dirty_rate_bytes_per_second", "Rate at which the guest dirties memory: libvirt memory_dirty_rate (pages/s) times the page size."),
      PerMigration("migmon_migration_iteration", "Memory pass the migration is in (libvirt memory_iteration; 0 during a block migration's disk phase)."),
      PerMigration("migmon_migration_elapsed_seconds", "Time since the migration job started (libvirt time_elapsed)."),
      PerMigration("migmon_migration_expected_downtime_seconds", "Downtime QEMU expects if it switched over now (libvirt downtime)."),
      PerMigration("migmon_migration_auto_converge_throttle_ratio", "CPU throttle auto-converge applies to the guest, 0..1."),
      PerMigration("migmon_migration_progress_ratio", "Progress 0..1 that never goes backwards: max over the migration of 1 - (memory left + disk left) / (guest memory + disk total)."),
      PerMigration("migmon_migration_estimated_remaining_seconds", "Seconds until the predicted end: the rest of this pass, then passes of what the guest dirties meanwhile, until one fits the allowed downtime (tracker/model.h); absent when it will not converge, in a block migration's disk phase and in post-copy."),
      PerMigration("migmon_migration_predicted_total_bytes", "Bytes the migration will have sent by its predicted end, all passes; absent with no prediction."),
      PerMigration("migmon_migration_dirty_transfer_ratio", "Dirty rate over the previous pass's send rate, from the second pass on: the factor by which pass starts shrink; at 0.9 or more they do not shrink enough to end."),
      PerMigration("migmon_migration_working_set_floor_bytes", "Level where the pass starts stopped shrinking (a start not 10% under the one before); absent while they still shrink."),
      PerMigration("migmon_migration_switchover_downtime_seconds", "Downtime a switch-over now would take: bytes remaining / the smoothed send rate."),
      PerMigration("migmon_migration_will_not_converge", "1 when the model's verdict is that the migration will not converge at its current speed and allowed downtime (dirty/transfer at 0.9 or more for 2 s and the next pass would not fit), 0 when it converges; absent before the second pass or in post-copy."),
      // Enforcer figures (enforcer/metrics_collector.cpp).
      PerMigration("migmon_migration_completion_budget_seconds", "Time the migration may take under completionTimeoutPerGiB: that many seconds per GiB of guest memory plus copied disks; absent when the timeout is off."),
      PerMigration("migmon_migration_last_progress_timestamp_seconds", "When the migration last made real progress (the rule behind progressTimeout), Unix time."),
      // Tracker figures.
      PerMigration("migmon_migration_max_downtime_seconds", "Downtime libvirt currently allows at the switch-over (raised by escalation steps)."),
      {"migmon_migration_info", MetricType::Gauge, "Always 1 for each active migration; labels give the target node (empty when unknown), mode (PreCopy, PostCopy, PostCopyFailed) and method (LiveMigration, BlockMigration).", {"namespace", "name", "node", "target_node", "mode", "method"}, Scope::kPerMigration},
      PerNode("migmon_migrations_succeeded_total", MetricType::Counter, "Outgoing migrations from this node that ended with the domain on the target."),
      PerNode("migmon_migrations_failed_total", MetricType::Counter, "Outgoing migrations from this node that ended without moving the domain (failed, aborted, cancelled)."),
      PerNode("migmon_migration_duration_seconds", MetricType::Histogram, "Duration of ended outgoing migrations from this node, by libvirt's job time."),
      PerNode("migmon_migration_downtime_seconds", MetricType::Histogram, "How long the guest was paused at the switchover, of succeeded outgoing migrations from this node (libvirt's completed-job downtime)."),
      PerNode("migmon_migration_setup_seconds", MetricType::Histogram, "Setup time before the first byte was sent, of succeeded outgoing migrations from this node (libvirt's completed-job setup_time)."),
      PerNode("migmon_node_outbound_migrations", MetricType::Gauge, "Active migrations leaving this node."),
      PerNode("migmon_node_inbound_migrations", MetricType::Gauge, "Active migrations arriving on this node."),
      PerNode("migmon_node_domains", MetricType::Gauge, "Active domains on this node, as its last sweep found them (0 until the first sweep)."),
      PerNode("migmon_node_sweeps_total", MetricType::Counter, "Full sweeps of this node's domains completed (a sweep lists every domain and reads its state)."),
      PerNode("migmon_libvirt_up", MetricType::Gauge, "1 while the connection to this node's libvirtd is up, else 0."),
      PerNode("migmon_postcopy_failures_total", MetricType::Counter, "Migrations from this node whose post-copy failed, leaving the guest paused on both nodes: each needs a human."),
      // Enforcer figures.
      {"migmon_enforcer_actions_total", MetricType::Counter, "Actions the enforcer took on migrations from this node (dry_run=\"true\": would have taken, in observe mode), by action (abort, postcopy, set_downtime) and reason (progress_timeout, completion_timeout, escalation).", {"node", "action", "reason", "dry_run"}, Scope::kPerNode},
      // Tracker figures and the build.
      {"migmon_poll_duration_seconds", MetricType::Histogram, "Time one poll of a node's active migrations took.", {}, Scope::kProcess},
      {"migmon_build_info", MetricType::Gauge, "Always 1; the version label says which build runs.", {"version"}, Scope::kProcess},
      // The migration API's figures (exporter/api_collector.cpp), present only with api.enabled.
      {"migmon_migrations", MetricType::Gauge, "Migration objects by phase (Pending, Scheduling, Scheduled, PreparingTarget, TargetReady, Running, Succeeded, Failed).", {"phase"}, Scope::kProcess},
      {"migmon_queue_oldest_pending_timestamp_seconds", MetricType::Gauge, "When the oldest Pending migration object was created, Unix time; absent while nothing is pending.", {}, Scope::kProcess},
      {"migmon_api_requests_total", MetricType::Counter, "API requests answered, by HTTP method and status code (monitoring endpoints excluded).", {"method", "code"}, Scope::kProcess},
      {"migmon_launch_failures_total", MetricType::Counter, "Migrations the API launched from this node that failed before libvirt ran them.", {"node"}, Scope::kProcess},
      {"migmon_store_quarantined_objects", MetricType::Gauge, "Stored migration objects set aside at start-up because they could not be read (kept in objects.db's quarantine table; the log names each).", {}, Scope::kProcess},
  };
  // clang-format on
}

}  // namespace

const std::vector<MetricSpec>& Catalog() {
  static const std::vector<MetricSpec> catalog = BuildCatalog();
  return catalog;
}

const MetricSpec& Spec(std::string_view name) {
  for (const auto& spec : Catalog()) {
    if (spec.name == name) return spec;
  }
  throw std::out_of_range("no metric named " + std::string(name));
}

prometheus::MetricFamily EmptyFamily(const MetricSpec& spec) { return {spec.name, spec.help, spec.type, {}}; }
prometheus::MetricFamily EmptyFamily(std::string_view name) { return EmptyFamily(Spec(name)); }

void AppendIfAny(std::vector<prometheus::MetricFamily>& out, prometheus::MetricFamily family) {
  if (!family.metric.empty()) out.push_back(std::move(family));
}

void SortByCatalog(std::vector<prometheus::MetricFamily>& families) {
  const auto rank = [](const prometheus::MetricFamily& family) {
    const auto& catalog = Catalog();
    const auto it = std::find_if(catalog.begin(), catalog.end(),
                                 [&](const MetricSpec& spec) { return spec.name == family.name; });
    return static_cast<size_t>(it - catalog.begin());
  };
  std::stable_sort(families.begin(), families.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
}

}  // namespace migmon::metrics
