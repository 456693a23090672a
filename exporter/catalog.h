// The one place where every metric migration-monitor exports is declared:
// name, type, help, labels and, for per-migration gauges, how the value is
// read from a snapshot. The collector renders from this table and
// docs/metrics.md is generated from it, so neither can drift from the code.
#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/metric_type.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tracker/snapshot.h"

namespace migmon::exporter {

enum class Scope {
  kPerMigration,  // one series per active migration; gone when it ends
  kPerNode,       // one series per managed node, from start (0 until something happens)
  kProcess,       // one series for the process
};

struct MetricSpec {
  std::string name;
  prometheus::MetricType type;
  std::string help;
  std::vector<std::string> labels;
  Scope scope;
  // Per-migration gauges: the value, or nullopt for "no series now".
  std::function<std::optional<double>(const MigrationView&)> value;
  // Per-node metrics: appends the node's series (gauge, counter or histogram),
  // with any labels beyond `node`, which the collector adds first.
  std::function<void(const NodeView&, std::vector<prometheus::ClientMetric>&)> node_value;
  // Process metrics: appends the series (usually one; none to leave it out).
  std::function<void(const Snapshot&, std::vector<prometheus::ClientMetric>&)> process_value;
};

prometheus::ClientMetric::Histogram ToHistogram(const HistogramData& h);

// Label names shared by every per-migration series.
inline const std::vector<std::string> kMigrationLabels = {"namespace", "name", "node"};

const std::vector<MetricSpec>& Catalog();
const MetricSpec& Spec(const std::string& name);  // throws std::out_of_range for an unknown name

// KubeVirt's words for migrationMethod.
std::string MethodLabel(bool block_migration);

}  // namespace migmon::exporter
