// Watches one managed node: keeps a libvirt connection open (reconnecting
// with backoff capped at 2 s), learns which domains migrate from events and
// periodic sweeps, polls job statistics of active outgoing migrations every
// poll interval, and reports every fact to a NodeFactsSink.
//
// Cost: a poll is O(active outgoing migrations on this node); a sweep
// (at connect and every discovery interval) is O(active domains) because
// libvirt signals no event when a migration starts on its source.
//
// Thread-safety: Start/Stop/UpdateSettings are called from one controlling
// thread; the watcher runs on its own thread. No lock is held across a
// libvirt call.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "hypervisor/domain_event.h"
#include "hypervisor/handles.h"
#include "samples/node_facts.h"

namespace migmon::hv {

class Session;

struct WatchSettings {
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds discovery_interval{5000};
  // Only domains whose name it accepts are watched at all (nullptr: every
  // domain). The single-VMI pod uses it to watch its own VMI alone.
  std::function<bool(const std::string& domain_name)> domain_filter;
};

class NodeWatcher {
 public:
  NodeWatcher(std::string node, std::string uri, WatchSettings settings, NodeFactsSink& sink);
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
  // Thread-safe.
  void Submit(MigrationAction action);
  // Sweeps the node now (e.g. the API looks for a VMI it does not know yet).
  // Thread-safe.
  void RequestSweep();

  const std::string& node() const { return node_; }
  const std::string& uri() const { return uri_; }

 private:
  struct Outgoing {
    DomainHandle handle;  // null while disconnected
    std::string name;
    DomainFacts facts;
    bool stopped_migrated = false;
    bool postcopy = false;
    bool postcopy_failed = false;
    std::optional<JobSample> completed;
    std::optional<std::string> aborted_by_monitor;
    // The migration's limits change rarely: read at discovery, at each new
    // pass, after our own change and once per discovery interval, not per poll.
    std::optional<double> allowed_downtime_seconds;
    std::optional<double> bandwidth_limit_bytes_per_second;
    std::optional<SteadyTime> limits_read_at;
  };

  void Run();
  bool Connect(std::chrono::milliseconds& backoff);
  void DropSession(const std::string& why);
  void Handle(const DomainEvent& event);
  void Execute(const MigrationAction& action);
  void Refuse(const MigrationAction& action, const std::string& why);
  void Sweep();
  void Poll();
  void Sample(const std::string& uuid, Outgoing& migration, bool at_iteration_event);
  // Adds a newly seen outgoing migration and reports its first sample.
  void Track(DomainHandle handle, const std::string& uuid, bool at_iteration_event);
  void Finish(const std::string& uuid);
  DomainRef Ref(const std::string& uuid, const std::string& name) const;
  WatchSettings Settings() const;
  bool Wanted(const std::string& domain_name) const;

  const std::string node_;
  const std::string uri_;
  NodeFactsSink& sink_;
  std::shared_ptr<EventQueue> queue_ = std::make_shared<EventQueue>();

  mutable std::mutex settings_mutex_;
  WatchSettings settings_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> sweep_requested_{false};
  std::thread thread_;

  // Owned by the watcher thread only.
  std::unique_ptr<Session> session_;
  bool reported_down_ = false;
  bool sweep_soon_ = false;  // the set of domains changed: sweep without waiting for the interval
  std::map<std::string, Outgoing> outgoing_;       // by UUID
  std::map<std::string, std::string> incoming_;    // UUID -> name
};

}  // namespace migmon::hv
