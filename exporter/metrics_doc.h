// docs/metrics.md, generated from the catalog (`migration-monitor
// print-metrics-doc > docs/metrics.md`); a unit test fails when the file in
// the tree differs from what the catalog generates.
#pragma once

#include <string>

namespace migmon::exporter {

std::string RenderMetricsDoc();

}  // namespace migmon::exporter
