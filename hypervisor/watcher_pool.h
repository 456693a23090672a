// One NodeWatcher per managed node, and the ActionPort the enforcer and the
// API submit actions through: an action goes to its node's watcher, or comes
// back at once through the sink's ActionDone ("node not watched") when that
// node is not watched right now, so whoever asked can decide again.
//
// Apply() is the configuration diff: watchers of removed nodes and of nodes
// whose URI changed are stopped, kept ones get the new settings, new ones
// start. Watchers are taken out of the map under the lock and stopped
// without it: a stopping watcher may be submitting an action, which takes
// the lock.
//
// Thread-safety: Apply and StopAll from one controlling thread; Submit and
// RequestSweeps from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hypervisor/node_session.h"
#include "hypervisor/node_watcher.h"
#include "samples/actions.h"
#include "samples/node_facts.h"

namespace migmon::hv {

struct WatchedNode {
  std::string name;
  std::string uri;
};

class WatcherPool final : public ActionPort {
 public:
  // open: how every watcher opens its session (nullptr: libvirt).
  explicit WatcherPool(SessionOpener open = nullptr);
  ~WatcherPool() override;  // = StopAll()
  WatcherPool(const WatcherPool&) = delete;
  WatcherPool& operator=(const WatcherPool&) = delete;

  // Where every watcher reports, and refused actions go. Set once, before
  // the first Apply (the sink may itself submit, so it comes after the pool).
  void SetSink(NodeFactsSink& sink) { sink_ = &sink; }
  // Watches exactly `nodes` with `settings` from now on (see the header
  // comment). between: runs once the stopped watchers have ended and before
  // new ones start (e.g. the registry learns the new set of nodes).
  void Apply(const std::vector<WatchedNode>& nodes, const WatchSettings& settings,
             const std::function<void()>& between = nullptr);
  void StopAll();

  // ActionPort
  void Submit(const std::string& node, MigrationAction action) override;
  // Every watcher sweeps its node now.
  void RequestSweeps();
  // The watched nodes and their URIs, by name.
  std::map<std::string, std::string> Watched() const;

 private:
  void StartWatcher(const WatchedNode& node, const WatchSettings& settings);

  NodeFactsSink* sink_ = nullptr;
  const SessionOpener open_;
  mutable std::mutex mutex_;  // guards the map, never held while a watcher stops
  std::map<std::string, std::unique_ptr<NodeWatcher>> watchers_;  // by node name
};

}  // namespace migmon::hv
