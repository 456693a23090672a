// The one place where every metric migration-monitor exports is declared:
// name, type, help, labels and scope. Each stage renders its own metrics
// (tracker figures: exporter/snapshot_collector.h; enforcer figures:
// enforcer/metrics_collector.h; API figures: exporter/api_collector.h),
// looking its declarations up here, and docs/metrics.md is generated from
// this table, so neither the output nor the docs can drift from it.
//
// Low-level on purpose: it depends on prometheus-cpp's types only, so every
// stage can link it without linking another stage.
//
// Thread-safety: the catalog is built once and then only read.
#pragma once

#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

#include <string>
#include <string_view>
#include <vector>

namespace migmon::metrics {

enum class Scope {
  kPerMigration,  // one series per active migration; gone when it ends
  kPerNode,       // one series per managed node, from start (0 until something happens)
  kProcess,       // one series for the process
};

struct MetricSpec {
  std::string name;
  prometheus::MetricType type;
  std::string help;
  std::vector<std::string> labels;  // in the order the series carry them
  Scope scope;
};

// Label names shared by every per-migration series.
inline const std::vector<std::string> kMigrationLabels = {"namespace", "name", "node"};

// In the order /metrics and docs/metrics.md list them.
const std::vector<MetricSpec>& Catalog();
const MetricSpec& Spec(std::string_view name);  // throws std::out_of_range for an unknown name

// A family with the spec's name, help and type, and no series yet.
prometheus::MetricFamily EmptyFamily(const MetricSpec& spec);
// The same for the catalogued metric `name` (throws like Spec).
prometheus::MetricFamily EmptyFamily(std::string_view name);

// Appends `family` to a rendering unless it has no series: an empty family
// would print a HELP without samples.
void AppendIfAny(std::vector<prometheus::MetricFamily>& out, prometheus::MetricFamily family);

// Puts families in catalog order (a name the catalog lacks goes last, in
// the order given), so /metrics reads the same whichever stage rendered
// which family.
void SortByCatalog(std::vector<prometheus::MetricFamily>& families);

}  // namespace migmon::metrics
