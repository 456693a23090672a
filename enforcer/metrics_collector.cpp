#include "enforcer/metrics_collector.h"

#include "metrics/catalog.h"

namespace migmon::enforcer {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;

ClientMetric MigrationGauge(const EnforcerFigures::Migration& m, double value) {
  ClientMetric metric;
  metric.label = {{"namespace", m.name_space}, {"name", m.name}, {"node", m.node}};
  metric.gauge.value = value;
  return metric;
}

}  // namespace

std::vector<MetricFamily> RenderEnforcerFamilies(const EnforcerFigures& figures) {
  std::vector<MetricFamily> out;

  MetricFamily budget = metrics::EmptyFamily("migmon_migration_completion_budget_seconds");
  MetricFamily progress = metrics::EmptyFamily("migmon_migration_last_progress_timestamp_seconds");
  for (const auto& m : figures.migrations) {
    if (m.completion_budget_seconds) budget.metric.push_back(MigrationGauge(m, *m.completion_budget_seconds));
    progress.metric.push_back(MigrationGauge(m, m.last_progress_timestamp_seconds));
  }
  metrics::AppendIfAny(out, std::move(budget));
  metrics::AppendIfAny(out, std::move(progress));

  MetricFamily actions = metrics::EmptyFamily("migmon_enforcer_actions_total");
  for (const auto& a : figures.actions) {
    ClientMetric& m = actions.metric.emplace_back();
    m.label = {{"node", a.node}, {"action", a.action}, {"reason", a.reason}, {"dry_run", a.dry_run ? "true" : "false"}};
    m.counter.value = static_cast<double>(a.count);
  }
  metrics::AppendIfAny(out, std::move(actions));

  metrics::SortByCatalog(out);
  return out;
}

}  // namespace migmon::enforcer
