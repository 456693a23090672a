#include "exporter/snapshot_collector.h"

#include "exporter/catalog.h"

namespace migmon::exporter {
namespace {

using prometheus::ClientMetric;

std::vector<ClientMetric::Label> MigrationLabels(const MetricSpec& spec, const MigrationView& m) {
  std::vector<ClientMetric::Label> labels = {
      {"namespace", m.vmi.name_space}, {"name", m.vmi.name}, {"node", m.source.node}};
  if (spec.labels.size() > labels.size()) {  // migmon_migration_info
    labels.push_back({"target_node", m.target_node});
    labels.push_back({"mode", ModeName(m.mode)});
    labels.push_back({"method", MethodLabel(m.block_migration)});
  }
  return labels;
}

}  // namespace

std::vector<prometheus::MetricFamily> RenderFamilies(const Snapshot& snapshot) {
  std::vector<prometheus::MetricFamily> families;
  for (const MetricSpec& spec : Catalog()) {
    prometheus::MetricFamily family{spec.name, spec.help, spec.type, {}};
    switch (spec.scope) {
      case Scope::kPerMigration:
        for (const MigrationView& m : snapshot.migrations) {
          const auto value = spec.value(m);
          if (!value) continue;
          ClientMetric metric;
          metric.label = MigrationLabels(spec, m);
          metric.gauge.value = *value;
          family.metric.push_back(std::move(metric));
        }
        break;
      case Scope::kPerNode:
        for (const NodeView& n : snapshot.nodes) {
          std::vector<ClientMetric> series;
          spec.node_value(n, series);
          for (ClientMetric& metric : series) {
            metric.label.insert(metric.label.begin(), {"node", n.name});
            family.metric.push_back(std::move(metric));
          }
        }
        break;
      case Scope::kProcess:
        spec.process_value(snapshot, family.metric);
        break;
    }
    // An empty family would print a HELP without samples; leave it out.
    if (!family.metric.empty()) families.push_back(std::move(family));
  }
  return families;
}

}  // namespace migmon::exporter
