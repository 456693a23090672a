// Renders a registry snapshot as Prometheus metric families, following the
// catalog. Per-migration series are built fresh at each Collect(), so an
// ended migration simply has no series: nothing to clean up.
//
// Thread-safety: Collect() may run on several HTTP threads at once; it only
// takes a snapshot (a short lock inside the registry) and never calls libvirt.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "tracker/registry.h"
#include "tracker/snapshot.h"

namespace migmon::exporter {

// Pure: the families for one snapshot, in catalog order.
std::vector<prometheus::MetricFamily> RenderFamilies(const Snapshot& snapshot);

class SnapshotCollector final : public prometheus::Collectable {
 public:
  explicit SnapshotCollector(const MigrationRegistry& registry) : registry_(registry) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    return RenderFamilies(registry_.TakeSnapshot());
  }

 private:
  const MigrationRegistry& registry_;
};

}  // namespace migmon::exporter
