// Watches one managed node on a thread of its own: WatcherCore (the session,
// the migrations learnt from events and sweeps, the job-stats polls, the
// end-of-job evidence) stepped whenever its EventQueue wakes it or a poll,
// sweep or reconnect falls due. Every fact goes to a NodeFactsSink.
//
// Cost: a poll is O(active outgoing migrations on this node); a sweep
// (at connect and every discovery interval) is O(active domains) because
// libvirt signals no event when a migration starts on its source.
//
// The session comes from a SessionOpener (default: OpenLibvirtSession); the
// thread waits in real time, so a fake clock drives WatcherCore directly.
//
// Thread-safety: Start/Stop/UpdateSettings are called from one controlling
// thread; Submit and RequestSweep from any thread. No lock is held across a
// libvirt call.
#pragma once

#include <memory>
#include <string>

#include "hypervisor/node_session.h"
#include "hypervisor/watcher_core.h"
#include "samples/actions.h"
#include "samples/node_facts.h"

namespace migmon::hv {

class NodeWatcher {
 public:
  NodeWatcher(std::string node, std::string uri, WatchSettings settings, NodeFactsSink& sink,
              SessionOpener open = nullptr);
  ~NodeWatcher();  // stops the thread
  NodeWatcher(const NodeWatcher&) = delete;
  NodeWatcher& operator=(const NodeWatcher&) = delete;

  void Start();
  // Asks the thread to stop without waiting; Stop() waits for it. Stopping
  // many watchers: RequestStop() all first, so their waits overlap.
  void RequestStop();
  void Stop();
  void UpdateSettings(WatchSettings settings);
  // Queues an action on an outgoing migration of this node; it runs on the
  // watcher's thread at once and its result reaches the sink's ActionDone.
  void Submit(MigrationAction action);
  // Sweeps the node now (e.g. the API looks for a VMI it does not know yet).
  void RequestSweep();

  const std::string& node() const { return node_; }
  const std::string& uri() const { return uri_; }

 private:
  struct Impl;
  const std::string node_;
  const std::string uri_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace migmon::hv
