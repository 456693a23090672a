// The loop that carries VirtualMachineInstanceMigration objects through
// their life: queued (Pending) -> planned within the limits (plan_input.h,
// scheduler/plan.h) -> launched (through the LaunchPort) -> tracked from
// the watchers' figures (transition.h) -> Succeeded/Failed -> removed after
// the retention (retention.h). The store holds every object; the index
// mirrors it and each transition is a store write of its own, so watchers
// see each phase (one whose write failed lands later: see Writes). The decisions are the pure functions of the files named; this
// class gathers their inputs, applies their steps and keeps the rules below.
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
// Time: every reading for a decision or a stored timestamp is the Clock's.
//
// Thread-safety: thread-safe. One mutex guards the index; it is held across
// store writes (fast, local) but never across a libvirt call: launches run
// on the LaunchPort's threads and aborts go through the ActionPort.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/k8s/request_options.h"
#include "config/config.h"
#include "migrations/errors.h"
#include "migrations/index.h"
#include "migrations/nodes.h"
#include "migrations/plan_input.h"
#include "migrations/transition.h"
#include "migrations/vmi_locator.h"
#include "samples/actions.h"
#include "samples/launch.h"
#include "scheduler/plan.h"
#include "store/object_store.h"
#include "tracker/outcome.h"
#include "tracker/snapshot.h"
#include "tracker/vmi_name.h"
#include "util/clock.h"

namespace migmon::migrations {

struct ControllerSettings {
  std::vector<config::NodeConfig> nodes;
  config::MigrationPolicy policy;
  NamingScheme naming = NamingScheme::kDomain;
  uint32_t retention_per_vmi = 5;
  double retention_ttl_seconds = 3600;
};

// What the stage reads of the nodes: the tracker's snapshot, the watchers'
// accounts of ended jobs, and a way to ask every node for a sweep now (a
// VMI created a moment ago is not in the inventory until the next one).
struct NodeReadings {
  // with_domains false: a light snapshot without the domain lists (their
  // counts and generations are there), which is what most ticks need.
  std::function<Snapshot(bool with_domains)> snapshot;
  // How the migration of `uuid` from `node` ended, if it ended at or after `since` (Unix time).
  std::function<std::optional<Outcome>(const std::string& node, const std::string& uuid, double since)>
      recent_outcome;
  std::function<void()> request_sweep;  // may be empty
};

// A create's or a delete's answer: an error, or the object.
struct Answer {
  std::optional<Error> error;
  nlohmann::json object;         // created; removed (its final state); or with its abort requested
  bool abort_requested = false;  // DELETE in flight: the object goes once the migration ended
  bool ok() const { return !error; }
};

class Controller {
 public:
  Controller(store::ObjectStore& store, LaunchPort& launcher, ActionPort& actions, const Clock& clock,
             NodeReadings nodes, ControllerSettings settings);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Loads the store into the index; false with `error` when it cannot be
  // read (starting with an empty index would lose objects).
  bool Load(std::string& error);
  // Load, then the loop thread (a tick every 250 ms, and at once after a change).
  bool Start(std::string& error);
  void Stop();  // stops the loop; running migrations are left to libvirt
  // One pass of the loop: retries, tracking, planning, retention. The
  // thread calls it; tests call it directly after Load.
  void Tick();
  void UpdateSettings(ControllerSettings settings);

  // A validated VirtualMachineInstanceMigration for namespace `ns`
  // (admission.h lists the errors); stored Pending. dry_run: every check,
  // nothing stored (the object as it would be).
  Answer Create(const std::string& ns, nlohmann::json object, bool dry_run = false);
  // Queued or finished: removed at once. In flight: the abort is requested
  // (abort_requested; the object goes once the migration ended). Errors:
  // kNotFound, kConflict (a precondition, in kube-apiserver's words),
  // kStoreFailed (the object is kept, still queued). options.dry_run: every
  // check, the same answer, nothing removed, stored or aborted.
  Answer Delete(const std::string& ns, const std::string& name, const api::k8s::DeleteOptions& options = {});

  struct Counts {
    std::map<std::string, uint64_t> by_phase;         // every phase (PhaseName), from 0
    std::optional<double> oldest_pending;             // Unix time
    std::map<std::string, uint64_t> launch_failures;  // by source node
  };
  Counts GetCounts() const;

 private:
  void Run();
  // The step's bookkeeping and records, and its actions submitted. `e` may be gone after.
  void Apply(Entry& e, const Step& step, double now);             // requires mutex_
  // A write-ahead step: `change` is made and stored, or (false, logged) not made at all.
  bool Write(Entry& e, const Change& change);                      // requires mutex_
  // A fact: `change` is made in the index now and stored now or later (see above).
  void Record(Entry& e, const Change& change, double now);        // requires mutex_
  // Stores e.object; false (logged once per run of failures) when it failed.
  bool Store(Entry& e, const nlohmann::json& next);               // requires mutex_
  // Removes the object of a finished entry, now or (failed) later.
  void Remove(Entry& e, double now);                              // requires mutex_
  void RetryStoreWrites(double now);                              // requires mutex_
  void TrackAll(const Snapshot& snap, double now);                // requires mutex_
  Observed Observe(const Entry& e, const Snapshot& snap) const;   // requires mutex_
  void PlanPending(const std::set<Key>& queued, const Snapshot& snap, double now);  // requires mutex_
  void Launch(Entry& e, const sched::Launch& where, const VmiWhere& vmi, double now);  // requires mutex_
  void CollectGarbage(double now);                                // requires mutex_
  const config::NodeConfig* NodeConf(const std::string& name) const;
  // A light snapshot, with locator_ brought up to date with it (a full
  // snapshot is taken only when an inventory changed).
  Snapshot Readings();                                            // requires mutex_
  // Asks every node for a sweep and waits (bounded) until each that is up
  // answered one: a VMI created a moment ago is not in `before` yet.
  void AwaitFreshSweep(const Snapshot& before) const;             // without mutex_
  // Ticks now; `replan`: every queued entry is planned again.
  void Wake(bool replan = true);                                  // requires mutex_

  store::ObjectStore& store_;
  LaunchPort& launcher_;
  ActionPort& actions_;
  const Clock& clock_;
  NodeReadings nodes_;
  ControllerSettings settings_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool dirty_ = true;  // something changed: tick now
  // Plan at the next tick: the queue, a slot or a launch changed (the
  // nodes' changes are caught by comparing last_triggers_).
  bool plan_due_ = true;
  PlanTriggers last_triggers_;
  std::set<Key> arrived_;  // created since the last plan
  std::set<Key> retries_;  // unsaved or remove_pending: RetryStoreWrites' work
  VmiLocator locator_;
  std::thread thread_;
  Index index_;
  std::map<std::string, uint64_t> launch_failures_;
  double started_at_ = 0;
};

}  // namespace migmon::migrations
