#include "exporter/api_collector.h"

#include "metrics/catalog.h"

namespace migmon::exporter {

using prometheus::ClientMetric;
using prometheus::MetricFamily;

std::vector<MetricFamily> RenderApiFamilies(const ApiFigures& figures) {
  std::vector<MetricFamily> out;

  MetricFamily phases = metrics::EmptyFamily("migmon_migrations");
  for (const auto& [phase, count] : figures.migrations_by_phase) {
    ClientMetric& m = phases.metric.emplace_back();
    m.label = {{"phase", phase}};
    m.gauge.value = static_cast<double>(count);
  }
  metrics::AppendIfAny(out, std::move(phases));

  MetricFamily oldest = metrics::EmptyFamily("migmon_queue_oldest_pending_timestamp_seconds");
  if (figures.oldest_pending_timestamp) oldest.metric.emplace_back().gauge.value = *figures.oldest_pending_timestamp;
  metrics::AppendIfAny(out, std::move(oldest));

  MetricFamily requests = metrics::EmptyFamily("migmon_api_requests_total");
  for (const auto& [key, count] : figures.requests) {
    ClientMetric& m = requests.metric.emplace_back();
    m.label = {{"method", key.first}, {"code", std::to_string(key.second)}};
    m.counter.value = static_cast<double>(count);
  }
  metrics::AppendIfAny(out, std::move(requests));

  MetricFamily launches = metrics::EmptyFamily("migmon_launch_failures_total");
  for (const auto& [node, count] : figures.launch_failures) {
    ClientMetric& m = launches.metric.emplace_back();
    m.label = {{"node", node}};
    m.counter.value = static_cast<double>(count);
  }
  metrics::AppendIfAny(out, std::move(launches));

  MetricFamily quarantined = metrics::EmptyFamily("migmon_store_quarantined_objects");
  quarantined.metric.emplace_back().gauge.value = static_cast<double>(figures.quarantined_objects);
  metrics::AppendIfAny(out, std::move(quarantined));

  metrics::SortByCatalog(out);
  return out;
}

std::vector<MetricFamily> ApiCollector::Collect() const {
  const std::optional<ApiFigures> figures = provider_();
  return figures ? RenderApiFamilies(*figures) : std::vector<MetricFamily>{};
}

}  // namespace migmon::exporter
