// Wires the stages together for `serve`: one watcher per configured node
// feeding the registry, the registry feeding the HTTP exporter. Owns their
// lifetimes and applies configuration reloads.
//
// Thread-safety: Start, Reload and Stop are called from the main thread only.
// Ready() is called from HTTP threads and reads only a snapshot.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "config/config.h"
#include "exporter/http_server.h"
#include "exporter/snapshot_collector.h"
#include "hypervisor/event_loop.h"
#include "hypervisor/node_watcher.h"
#include "tracker/registry.h"

namespace migmon::app {

class Monitor {
 public:
  explicit Monitor(config::Config config);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Binds the HTTP address and starts watching. False with `error` set when
  // the address cannot be bound (nothing is left running then).
  bool Start(std::string& error);
  // Applies a new, already validated configuration: intervals, limits and
  // naming at once; added nodes are watched, removed ones dropped, a node
  // whose URI changed is reconnected. The listen address needs a restart.
  void Reload(config::Config next);
  void Stop();

  exporter::Readiness Ready() const;

 private:
  void StartWatcher(const config::NodeConfig& node);
  hv::WatchSettings Settings() const;

  config::Config config_;
  hv::EventLoop event_loop_;  // first member that runs: outlives every watcher below
  MigrationRegistry registry_;
  std::shared_ptr<exporter::SnapshotCollector> collector_;
  exporter::HttpServer server_;
  std::map<std::string, std::unique_ptr<hv::NodeWatcher>> watchers_;  // by node name
};

NamingScheme ToNamingScheme(config::Naming naming);

}  // namespace migmon::app
