// One tick of the Controller's loop: retry failed writes, track what is in
// flight, plan and launch what is queued, apply the retention. A tick with
// nothing new costs a light snapshot and a comparison: planning runs when
// the queue, a slot or the nodes changed (PlanTriggers), and VMIs are found
// through the VmiLocator, rebuilt only when an inventory changed.
#include <algorithm>

#include "api/k8s/resources.h"
#include "migrations/controller.h"
#include "migrations/launch_request.h"
#include "migrations/object_status.h"
#include "migrations/plan_input.h"
#include "migrations/retention.h"
#include "samples/migration_method.h"
#include "util/log.h"

namespace migmon::migrations {

void Controller::Tick() {
  std::lock_guard lock(mutex_);
  const double now = clock_.Now();
  RetryStoreWrites(now);
  if (!index_.In(Stage::kQueued).empty() || !index_.In(Stage::kInFlight).empty()) {
    const Snapshot snap = Readings();
    TrackAll(snap, now);
    PlanTriggers triggers = PlanTriggersOf(snap);
    if (plan_due_ || triggers != last_triggers_) {
      // Something that frees or takes room changed: every queued entry is planned again.
      plan_due_ = false;
      arrived_.clear();
      last_triggers_ = std::move(triggers);
      PlanPending(index_.In(Stage::kQueued), snap, now);
    } else if (!arrived_.empty()) {
      // Only new objects: the ones waiting still wait (the room did not grow), so only
      // the newcomers are planned, against the same room.
      const std::set<Key> arrived = std::move(arrived_);
      arrived_.clear();
      PlanPending(arrived, snap, now);
    }
  }
  CollectGarbage(now);
}

Observed Controller::Observe(const Entry& e, const Snapshot& snap) const {
  Observed o;
  if (const MigrationView* m = ActiveMigration(snap, e.source, e.uuid)) {
    o.job = *m;
    return o;
  }
  if (!e.uuid.empty() && nodes_.recent_outcome) {
    o.outcome = nodes_.recent_outcome(e.source, e.uuid, e.adopted ? started_at_ : e.launched_at);
  }
  o.where = locator_.Find({e.ns, e.vmi});
  o.source_swept = Swept(snap, e.source);
  o.target_swept = Swept(snap, e.target);
  o.inventory_complete = InventoryComplete(snap);
  return o;
}

void Controller::TrackAll(const Snapshot& snap, double now) {
  std::vector<Entry*> tracked;
  for (const Key& key : index_.In(Stage::kInFlight)) tracked.push_back(index_.Find(key));
  // Apply removes at most the entry it is given: the other pointers stay valid.
  for (Entry* e : tracked) Apply(*e, Track(*e, Observe(*e, snap), now), now);
}

void Controller::PlanPending(const std::set<Key>& queued, const Snapshot& snap, double now) {
  PlanInput in = MakePlanInput(index_, queued, snap, locator_, settings_.nodes);
  // Most waits are the ones already recorded: checked before a Record copies the object.
  auto wait = [&](Entry& e, const std::string& reason, const std::string& message) {
    if (!e.object.Waits(reason, message)) Record(e, WaitingChange(reason, message, now), now);
  };
  for (Entry* e : in.unknown) {
    // An object that already says why it waits keeps saying it until the
    // nodes can answer: a restart must not rewrite every queued object twice.
    if (!e->object.HasWait()) wait(*e, "VMIUnknown", "not every managed node has been listed yet");
  }
  if (in.candidates.empty()) return;
  const sched::Plan plan = sched::PlanLaunches(std::move(in.candidates), std::move(in.rooms), in.running,
                                               LimitsOf(settings_.policy));
  auto entry_of = [&](const std::string& key) {
    const auto slash = key.find('/');
    return index_.Find({key.substr(0, slash), key.substr(slash + 1)});
  };
  for (const auto& w : plan.waits) {
    if (Entry* e = entry_of(w.key)) wait(*e, w.reason, w.message);
  }
  for (const auto& f : plan.failures) {
    if (Entry* e = entry_of(f.key)) Apply(*e, FinishStep(*e, false, f.message, now), now);
  }
  for (const auto& l : plan.launches) {
    if (Entry* e = entry_of(l.key)) Launch(*e, l, in.located.at(l.key), now);
  }
}

void Controller::Launch(Entry& e, const sched::Launch& where, const VmiWhere& vmi, double now) {
  const config::NodeConfig* source = NodeConf(where.source);
  const config::NodeConfig* target = NodeConf(where.target);
  if (!source || !target) return;
  e.source = where.source;
  e.target = where.target;
  e.uuid = vmi.domain.uuid;
  e.launched_at = now;
  const std::string uuid = e.uuid;
  if (!Write(e, {Phase::kScheduling, [&](nlohmann::json& obj) {
                   ClearWaiting(obj);
                   obj["metadata"]["annotations"][kUuidAnnotation] = uuid;
                   SetPhase(obj, Phase::kScheduling, now);
                 }})) {
    plan_due_ = true;  // still Pending: the next tick tries again
    return;
  }
  const bool scheduled = Write(e, {Phase::kScheduled, [&](nlohmann::json& obj) {
                                     SetPhase(obj, Phase::kScheduled, now);
                                     SetState(obj, "sourceNode", where.source);
                                     SetState(obj, "targetNode", where.target);
                                     if (!target->migration_address.empty()) {
                                       SetState(obj, "targetNodeAddress", target->migration_address);
                                     }
                                     SetState(obj, "migrationUid", obj["metadata"].value("uid", ""));
                                     SetState(obj, "mode", ModeName(MigrationMode::kPreCopy));
                                     SetState(obj, "completed", false);
                                     SetState(obj, "failed", false);
                                   }});
  if (!scheduled) {
    // Stuck in Scheduling without a launch: let the restart logic requeue it.
    e.adopted = true;
    return;
  }
  e.launching = true;
  log::Info("launching migration", {{"namespace", e.ns}, {"name", e.name}, {"vmi", e.vmi},
                                    {"source", e.source}, {"target", e.target}});
  const Key key{e.ns, e.name};
  launcher_.Launch(
      BuildLaunchRequest(*source, *target, settings_.policy, e.uuid),
      [this, key](const LaunchPlan& plan) {
        std::lock_guard lock(mutex_);
        Entry* entry = index_.Find(key);
        if (!entry || entry->abort_requested) return false;
        const double t = clock_.Now();
        // A phase that cannot be recorded must not happen: cancel the launch.
        return Write(*entry, {Phase::kPreparingTarget,
                              [&](nlohmann::json& obj) {
                                SetPhase(obj, Phase::kPreparingTarget, t);
                                SetState(obj, "migrationMethod", MigrationMethodName(plan.block_migration));
                              }}) &&
               Write(*entry, {Phase::kTargetReady, [&](nlohmann::json& obj) { SetPhase(obj, Phase::kTargetReady, t); }});
      },
      [this, key](const LaunchResult& result) {
        std::lock_guard lock(mutex_);
        Entry* entry = index_.Find(key);
        if (!entry) return;
        entry->launching = false;
        entry->result = result;
        entry->result_at = clock_.Now();
        Wake();
      });
}

void Controller::CollectGarbage(double now) {
  for (const auto& key : ExpiredEntries(index_, now, settings_.retention_per_vmi, settings_.retention_ttl_seconds)) {
    // A removal that failed is tried again at the next tick (still expired).
    const auto r = store_.Delete(std::string(api::k8s::kMigrationPlural), key.first, key.second);
    if (r.ok() || r.code == 404) index_.Erase(key);
  }
}

}  // namespace migmon::migrations
