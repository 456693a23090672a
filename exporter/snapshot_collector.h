// Renders snapshots as Prometheus metric families, following the catalog.
// Per-migration series are built fresh at each Collect(), so an ended
// migration simply has no series: nothing to clean up.
//
// Thread-safety: Collect() may run on several HTTP threads at once; it only
// asks the source for a snapshot (short locks inside the stages) and never
// calls libvirt.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <functional>
#include <vector>

#include "tracker/snapshot.h"

namespace migmon::exporter {

// Pure: the families for one snapshot, in catalog order.
std::vector<prometheus::MetricFamily> RenderFamilies(const Snapshot& snapshot);

class SnapshotCollector final : public prometheus::Collectable {
 public:
  explicit SnapshotCollector(std::function<Snapshot()> source) : source_(std::move(source)) {}
  std::vector<prometheus::MetricFamily> Collect() const override { return RenderFamilies(source_()); }

 private:
  std::function<Snapshot()> source_;
};

}  // namespace migmon::exporter
