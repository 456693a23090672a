// The migration API's metrics (migmon_migrations, the queue, requests,
// launch failures, quarantined objects), rendered from a plain ApiFigures
// that daemon/ gathers from the lifecycle stage, the HTTP API and the store:
// this file knows none of them.
//
// Thread-safety: Collect() may run on several HTTP threads at once; it calls
// the provider, which must be thread-safe and must not call libvirt.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace migmon::exporter {

struct ApiFigures {
  std::map<std::string, uint64_t> migrations_by_phase;        // every phase, from 0
  std::optional<double> oldest_pending_timestamp;             // Unix time; absent with nothing pending
  std::map<std::pair<std::string, int>, uint64_t> requests;   // (method, code)
  std::map<std::string, uint64_t> launch_failures;            // by source node, from 0
  uint64_t quarantined_objects = 0;                           // stored rows set aside at start-up
};

// Pure: the API's families, in catalog order; a family without series is left out.
std::vector<prometheus::MetricFamily> RenderApiFamilies(const ApiFigures& figures);

class ApiCollector final : public prometheus::Collectable {
 public:
  // nullopt from the provider: no API (api.enabled off), so no API series.
  explicit ApiCollector(std::function<std::optional<ApiFigures>()> provider) : provider_(std::move(provider)) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::function<std::optional<ApiFigures>()> provider_;
};

}  // namespace migmon::exporter
