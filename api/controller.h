// Carries VirtualMachineInstanceMigration objects through their life: queued
// (Pending) -> planned within the limits (scheduler/plan.h) -> launched
// (hv::Launcher) -> tracked from the watchers' figures -> Succeeded/Failed
// -> removed after the retention. The store holds every object; this class
// keeps an index of them and drives the transitions, one store write each,
// so watchers see every phase.
//
// Restarts: objects are reloaded from the store. One whose migration libvirt
// still runs is adopted; one that was about to be launched is queued again
// when its VMI is still on the source (the guest runs exactly once); one
// whose migration ended while the monitor was down is finished from where
// the VMI runs now.
//
// Writes: a step that must be on disk before it is taken (Scheduling,
// Scheduled, PreparingTarget, TargetReady: the launch follows) is not taken
// when its write fails. A fact that is true whatever the disk says (the
// migration runs, ended, waits, was asked to abort) is taken into the index
// at once; when its write fails (a full disk) the object stays "unsaved" and
// is written again about once a second until it lands, so no object stays
// in a stale phase once space is back. A removal that fails is retried too.
//
// Thread-safety: thread-safe. One mutex guards the index; it is held across
// store writes (fast, local) but never across a libvirt call: launches run
// on the launcher's threads and aborts go through the ActionPort.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/k8s/request_options.h"
#include "config/config.h"
#include "samples/launch.h"
#include "samples/actions.h"
#include "scheduler/plan.h"
#include "store/object_store.h"
#include "tracker/outcome.h"
#include "tracker/snapshot.h"
#include "tracker/vmi_name.h"

namespace migmon::api {

inline constexpr const char* kMigrations = "virtualmachineinstancemigrations";

struct ControllerSettings {
  std::vector<config::NodeConfig> nodes;
  config::MigrationPolicy policy;
  NamingScheme naming = NamingScheme::kDomain;
  uint32_t retention_per_vmi = 5;
  double retention_ttl_seconds = 3600;
};

// What the API layer needs from the rest of the monitor.
struct ControllerPorts {
  std::function<Snapshot()> snapshot;
  // How the migration of `uuid` from `node` ended, if it ended at or after `since` (Unix time).
  std::function<std::optional<Outcome>(const std::string& node, const std::string& uuid, double since)>
      recent_outcome;
  ActionPort* actions = nullptr;
  LaunchPort* launcher = nullptr;
  // Asks every node for a sweep now (a VMI created a moment ago is not in
  // the inventory until the next one).
  std::function<void()> request_sweep;
};

// Where a VMI runs now, from the nodes' inventories.
struct VmiWhere {
  std::string node;
  DomainSummary domain;
};
std::optional<VmiWhere> FindVmi(const Snapshot& s, const VmiName& vmi, NamingScheme naming);

class Controller {
 public:
  Controller(store::ObjectStore& store, ControllerPorts ports, ControllerSettings settings);
  ~Controller();

  // Loads the store and starts the loop thread; false with `error` when the
  // store cannot be read (starting with an empty index would lose objects).
  bool Start(std::string& error);
  void Stop();   // stops the loop; running migrations are left to libvirt
  void UpdateSettings(ControllerSettings settings);

  struct Reply {
    int code;             // HTTP status
    nlohmann::json body;  // the object, or a Status (built by the caller from `message`)
    std::string reason;   // Kubernetes StatusReason when it failed
    std::string message;
  };
  // A validated VirtualMachineInstanceMigration for namespace `ns`: 201, or
  // 404 (no such VMI on any node, all of them connected and listed), 503
  // (the VMI's node is not connected, or the VMI is on no connected node
  // while some node is down or not listed yet: the message names them), 422
  // (the VMI has an active migration, or no managed node matches its
  // selector), 409 (name taken). dry_run: every check, nothing stored (201
  // with the object as it would be).
  Reply Create(const std::string& ns, nlohmann::json object, bool dry_run = false);
  // 200 (removed at once: queued or finished), 202 (running: abort
  // requested; the object goes once the migration ended), 404, 409 reason
  // Conflict when a precondition fails (message in kube-apiserver's words),
  // 500 when the store could not remove it (it is kept, and still queued).
  // options.dry_run: every check, the same answer, nothing removed, stored
  // or aborted.
  Reply Delete(const std::string& ns, const std::string& name, const k8s::DeleteOptions& options = {});

  struct Counts {
    std::map<std::string, uint64_t> by_phase;  // every phase, from 0
    std::optional<double> oldest_pending;      // Unix time
    std::map<std::string, uint64_t> launch_failures;  // by source node
  };
  Counts GetCounts() const;

 private:
  struct Entry;
  void Run();
  void Tick();                                      // requires mutex_
  bool Load(std::string& error);                    // requires mutex_
  // A write-ahead step: `change` is made and stored, or (false, logged) not made at all.
  bool Write(Entry& e, const std::function<void(nlohmann::json&)>& change);  // requires mutex_
  // A fact: `change` is made in the index now and stored now or later (see above).
  void Record(Entry& e, const std::function<void(nlohmann::json&)>& change);  // requires mutex_
  // Stores `next` as e's object; false (logged once per run of failures) when it failed.
  bool Store(Entry& e, const nlohmann::json& next);  // requires mutex_
  // Writes unsaved objects again and retries failed removals, when due.
  void RetryStoreWrites(double now);                 // requires mutex_
  void PlanPending(const Snapshot& snap, double now);  // requires mutex_
  void Launch(Entry& e, const sched::Launch& where, const VmiWhere& vmi, double now);  // requires mutex_
  void Track(Entry& e, const Snapshot& snap, double now);  // requires mutex_
  void FinishEntry(Entry& e, bool succeeded, const std::string& reason, double now);  // requires mutex_
  void CollectGarbage(double now);                  // requires mutex_
  const config::NodeConfig* NodeConf(const std::string& name) const;
  // A snapshot in which `vmi` is found, sweeping the nodes once more if needed.
  Snapshot SnapshotWithVmi(const VmiName& vmi) const;

  store::ObjectStore& store_;
  ControllerPorts ports_;
  ControllerSettings settings_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool dirty_ = true;  // something changed: tick now
  std::thread thread_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Entry>> entries_;  // (ns, name)
  std::map<std::string, uint64_t> launch_failures_;
  double started_at_ = 0;
};

}  // namespace migmon::api
