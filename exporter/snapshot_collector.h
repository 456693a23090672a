// Renders the tracker's snapshots as Prometheus metric families: the
// tracker's own metrics of metrics/catalog.h (the enforcer and the API
// render theirs). Per-migration series are built fresh at each Collect(), so
// an ended migration simply has no series: nothing to clean up.
//
// Thread-safety: Collect() may run on several HTTP threads at once; it only
// asks the source for a snapshot (a short lock inside the registry) and
// never calls libvirt.
#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <functional>
#include <vector>

#include "tracker/histogram.h"
#include "tracker/snapshot.h"

namespace migmon::exporter {

// Pure: the tracker's families for one snapshot, in catalog order; a family
// without series is left out.
std::vector<prometheus::MetricFamily> RenderFamilies(const Snapshot& snapshot);

prometheus::ClientMetric::Histogram ToHistogram(const HistogramData& h);

class SnapshotCollector final : public prometheus::Collectable {
 public:
  explicit SnapshotCollector(std::function<Snapshot()> source) : source_(std::move(source)) {}
  std::vector<prometheus::MetricFamily> Collect() const override { return RenderFamilies(source_()); }

 private:
  std::function<Snapshot()> source_;
};

}  // namespace migmon::exporter
