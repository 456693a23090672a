// Wires the stages together for `serve`: one watcher per configured node
// feeding the tracker and the enforcer, the enforcer's actions going back to
// the watchers, each stage's own collector feeding /metrics. Owns their
// lifetimes and applies configuration reloads.
//
// Thread-safety: Start, Reload and Stop are called from the main thread
// only; Ready runs on the HTTP server's threads.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/api_server.h"
#include "config/config.h"
#include "enforcer/enforcer.h"
#include "enforcer/history_store.h"
#include "enforcer/metrics_collector.h"
#include "daemon/trace_recorder.h"
#include "exporter/api_collector.h"
#include "exporter/http_server.h"
#include "exporter/snapshot_collector.h"
#include "hypervisor/event_loop.h"
#include "hypervisor/launcher.h"
#include "hypervisor/watcher_pool.h"
#include "migrations/controller.h"
#include "samples/fan_out_sink.h"
#include "store/object_store.h"
#include "tracker/registry.h"

namespace migmon::app {

struct ServeOptions {
  bool dry_run = false;   // --dry-run: enforcement in observe mode whatever the config says
  bool insecure = false;  // --insecure: allow the API on a non-loopback address without token or TLS
  // From the environment's VMI_NAME ("name" or "namespace/name"): watch only
  // this VMI, in observe mode (the single-VMI pod of deploy/).
  std::string only_vmi;
};

class Monitor final {
 public:
  Monitor(config::Config config, ServeOptions options);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Opens the state in dataDir, binds the HTTP address and starts watching.
  // False with `error` set on failure (nothing is left running then).
  bool Start(std::string& error);
  // Applies a new, already validated configuration: intervals, policy,
  // enforcement and naming at once; added nodes are watched, removed ones
  // dropped, a node whose URI changed is reconnected. The listen address and
  // dataDir need a restart.
  void Reload(config::Config next);
  void Stop();

  exporter::Readiness Ready() const;

 private:
  std::vector<hv::WatchedNode> WatchedNodes() const;
  hv::WatchSettings Settings() const;
  enforcer::EnforcerSettings EnforcementSettings() const;
  migrations::ControllerSettings ControllerSettings() const;
  api::ApiSettings ApiSettings() const;
  bool StartApi(std::string& error);
  // The tracker's snapshot, for the API and the lifecycle stage.
  Snapshot TakeCoreSnapshot(bool with_domains = true) const;
  // The API's figures for /metrics (exporter/api_collector.h); nullopt without the API.
  std::optional<exporter::ApiFigures> ReadApiFigures() const;

  config::Config config_;
  ServeOptions options_;
  hv::EventLoop event_loop_;  // constructed first, destroyed last: outlives every watcher
  MigrationRegistry registry_;
  std::unique_ptr<enforcer::HistoryStore> history_store_;
  std::unique_ptr<TraceRecorder> traces_;  // dataDir/traces: one trace per migration; outlives enforcer_
  std::unique_ptr<enforcer::Enforcer> enforcer_;
  std::unique_ptr<FanOutSink> sink_;
  // /metrics: each stage's own collector (declared before server_, which serves them).
  std::shared_ptr<exporter::SnapshotCollector> collector_;
  std::shared_ptr<enforcer::EnforcerCollector> enforcer_collector_;
  std::shared_ptr<exporter::ApiCollector> api_collector_;
  exporter::HttpServer server_;
  // The migration API (api.enabled): its store, launcher, controller and routes.
  std::unique_ptr<store::ObjectStore> objects_;
  hv::Launcher launcher_;
  std::unique_ptr<migrations::Controller> controller_;
  std::unique_ptr<api::ApiServer> api_;
  std::atomic<bool> loaded_{false};  // the stored state is loaded: /readyz may say ready
  hv::WatcherPool watchers_;  // one watcher per node; the ActionPort of the enforcer and the controller
};

NamingScheme ToNamingScheme(config::Naming naming);

}  // namespace migmon::app
