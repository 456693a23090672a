// The enforcer's metrics (per-migration completion budget and last
// progress, actions per node), rendered from EnforcerFigures; declared in
// metrics/catalog.h with every other metric.
//
// Thread-safety: Collect() may run on several HTTP threads at once; it calls
// the source (Enforcer::Figures(): a short lock, never libvirt).
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <functional>
#include <vector>

#include "enforcer/figures.h"

namespace migmon::enforcer {

// Pure: the enforcer's families, in catalog order; a family without series is left out.
std::vector<prometheus::MetricFamily> RenderEnforcerFamilies(const EnforcerFigures& figures);

class EnforcerCollector final : public prometheus::Collectable {
 public:
  explicit EnforcerCollector(std::function<EnforcerFigures()> source) : source_(std::move(source)) {}
  std::vector<prometheus::MetricFamily> Collect() const override { return RenderEnforcerFamilies(source_()); }

 private:
  std::function<EnforcerFigures()> source_;
};

}  // namespace migmon::enforcer
