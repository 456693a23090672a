#include "api/controller.h"

#include <algorithm>

#include "api/k8s/table.h"
#include "api/k8s/vmim.h"
#include "api/migration_status.h"
#include "util/log.h"
#include "util/time_format.h"

namespace migmon::api {
namespace {

constexpr auto kTickInterval = std::chrono::milliseconds(250);
constexpr double kProgressWriteSeconds = 1.0;
// After a failed migrate call, how long to wait for the watcher's account of
// the end (it knows whether the enforcer aborted it, and why).
constexpr double kOutcomeGraceSeconds = 3.0;
constexpr const char* kUuidAnnotation = "migration-monitor.io/domain-uuid";
constexpr auto kFreshSweepWait = std::chrono::seconds(2);
// How often an object whose write failed (a full disk) is written again.
constexpr double kStoreRetrySeconds = 1.0;

std::map<std::string, std::string> Selector(const nlohmann::json& obj) {
  std::map<std::string, std::string> out;
  const auto spec = obj.find("spec");
  if (spec == obj.end()) return out;
  const auto sel = spec->find("addedNodeSelector");
  if (sel == spec->end() || !sel->is_object()) return out;
  for (const auto& [k, v] : sel->items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

const MigrationView* ActiveMigration(const Snapshot& s, const std::string& node, const std::string& uuid) {
  for (const auto& m : s.migrations) {
    if (m.source.uuid == uuid && (node.empty() || m.source.node == node)) return &m;
  }
  return nullptr;
}

const NodeView* FindNodeView(const Snapshot& s, const std::string& name) {
  for (const auto& n : s.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

// Every node answered at least one sweep: a VMI not found is really gone.
bool InventoryComplete(const Snapshot& s) {
  return std::all_of(s.nodes.begin(), s.nodes.end(), [](const NodeView& n) { return n.up && n.sweeps > 0; });
}

std::string NodeState(const NodeView& n) {
  if (!n.up) return n.name + " is not connected" + (n.detail.empty() ? "" : " (" + n.detail + ")");
  return n.name + " has not been listed yet";
}

// Why a create for `vmi` cannot be answered now (503): its node is known but
// not connected, or it is on no node that was listed while some node is
// down or not listed yet. nullopt when the inventory can answer.
std::optional<std::string> Unreachable(const Snapshot& s, const std::optional<VmiWhere>& where,
                                       const std::string& vmi) {
  if (where) {
    const NodeView* n = FindNodeView(s, where->node);
    if (!n || n->up) return std::nullopt;
    return "VMI " + vmi + " runs on a node that cannot be reached now: " + NodeState(*n) +
           "; try again once it is back";
  }
  std::string unknown;
  for (const auto& n : s.nodes) {
    if (n.up && n.sweeps > 0) continue;
    unknown += (unknown.empty() ? "" : ", ") + NodeState(n);
  }
  if (unknown.empty()) return std::nullopt;
  return "VMI " + vmi + " is on no connected node, and may run on one that cannot be reached now: " + unknown;
}

}  // namespace

struct Controller::Entry {
  std::string ns;
  std::string name;
  nlohmann::json object;  // as last stored
  uint64_t seq = 0;
  std::string vmi;
  int priority = 0;
  std::map<std::string, std::string> selector;
  double created_at = 0;
  double finished_at = 0;
  // Launch and tracking.
  std::string source;
  std::string target;
  std::string uuid;
  bool launching = false;  // our migrate call has not returned
  bool adopted = false;    // started before a restart: no call of ours to wait for
  bool seen_running = false;
  bool abort_requested = false;
  bool abort_submitted = false;
  std::optional<LaunchResult> result;
  double result_at = 0;
  double launched_at = 0;  // outcomes recorded before this belong to other migrations
  double progress_written_at = 0;
  // The store lags the index: `object` is to be written again (see controller.h).
  bool unsaved = false;
  bool remove_pending = false;  // finished and to be removed, but the removal failed
  bool write_failing = false;   // the last write failed (logged once per run of failures)
  double retry_at = 0;

  std::string Phase() const { return PhaseOf(object); }
};

std::optional<VmiWhere> FindVmi(const Snapshot& s, const VmiName& vmi, NamingScheme naming) {
  std::optional<VmiWhere> found;
  for (const auto& n : s.nodes) {
    for (const auto& d : n.domains) {
      if (MapDomainName(d.name, naming) != vmi) continue;
      // During a migration the target holds a paused copy: the running one is the VMI.
      if (!found || (d.running && !found->domain.running)) found = VmiWhere{n.name, d};
    }
  }
  return found;
}

Controller::Controller(store::ObjectStore& store, ControllerPorts ports, ControllerSettings settings)
    : store_(store), ports_(std::move(ports)), settings_(std::move(settings)) {}

Controller::~Controller() { Stop(); }

bool Controller::Start(std::string& error) {
  {
    std::lock_guard lock(mutex_);
    started_at_ = WallSeconds();
    if (!Load(error)) return false;
  }
  thread_ = std::thread([this] { Run(); });
  return true;
}

void Controller::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Controller::UpdateSettings(ControllerSettings settings) {
  std::lock_guard lock(mutex_);
  settings_ = std::move(settings);
  dirty_ = true;
  wake_.notify_all();
}

void Controller::Run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, kTickInterval, [this] { return stop_ || dirty_; });
    if (stop_) break;
    dirty_ = false;
    Tick();
  }
}

bool Controller::Load(std::string& error) {
  const auto list = store_.List(kMigrations, std::nullopt);
  if (list.code != 200) {
    error = "cannot read the migration objects: " + list.message;
    return false;
  }
  const double now = WallSeconds();
  for (const auto& item : list.items) {
    auto e = std::make_unique<Entry>();
    const auto& meta = item.object["metadata"];
    e->ns = meta.value("namespace", "");
    e->name = meta.value("name", "");
    e->object = item.object;
    e->seq = item.seq;
    e->vmi = item.object["spec"].value("vmiName", "");
    e->priority = k8s::PriorityRank(item.object["spec"].value("priority", ""));
    e->selector = Selector(item.object);
    const auto created = k8s::ParseTimestamp(meta.value("creationTimestamp", ""));
    e->created_at = created ? std::chrono::duration<double>(created->time_since_epoch()).count() : now;
    const std::string phase = e->Phase();
    if (IsFinalPhase(phase)) {
      e->finished_at = now;  // retention counts from this start at the latest
    } else if (phase != "Pending") {
      const auto state = item.object["status"].value("migrationState", nlohmann::json::object());
      e->source = state.value("sourceNode", "");
      e->target = state.value("targetNode", "");
      e->uuid = meta.value("annotations", nlohmann::json::object()).value(kUuidAnnotation, "");
      e->adopted = true;
      e->abort_requested = state.value("abortRequested", false);
      e->seen_running = phase == "Running";
    }
    entries_[{e->ns, e->name}] = std::move(e);
  }
  if (!list.items.empty()) log::Info("migration objects loaded", {{"count", list.items.size()}});
  return true;
}

bool Controller::Store(Entry& e, const nlohmann::json& next) {
  // The index is the authority on its objects (only this class writes them):
  // the whole object goes, so an unsaved earlier fact goes with this one.
  const auto r = store_.Update(kMigrations, e.ns, e.name, [&](nlohmann::json& obj) {
    obj = next;
    return true;
  });
  if (!r.ok()) {
    if (!e.write_failing) {
      log::Error("cannot update migration object; will write it again",
                 {{"namespace", e.ns}, {"name", e.name}, {"phase", PhaseOf(next)}, {"error", r.message}});
    }
    e.write_failing = true;
    return false;
  }
  if (e.write_failing) log::Info("migration object stored again", {{"namespace", e.ns}, {"name", e.name}});
  e.write_failing = false;
  e.object = r.object;
  e.unsaved = false;
  return true;
}

bool Controller::Write(Entry& e, const std::function<void(nlohmann::json&)>& change) {
  nlohmann::json next = e.object;
  change(next);
  return Store(e, next);
}

void Controller::Record(Entry& e, const std::function<void(nlohmann::json&)>& change) {
  nlohmann::json next = e.object;
  change(next);
  // Nothing new: nothing to write now (an unsaved object is RetryStoreWrites' to write).
  if (next == e.object) return;
  e.object = std::move(next);
  e.unsaved = true;
  if (!Store(e, e.object)) e.retry_at = WallSeconds() + kStoreRetrySeconds;
}

void Controller::RetryStoreWrites(double now) {
  std::vector<std::pair<std::string, std::string>> removed;
  for (auto& [key, e] : entries_) {
    if (!(e->unsaved || e->remove_pending) || now < e->retry_at) continue;
    e->retry_at = now + kStoreRetrySeconds;
    if (e->unsaved && !Store(*e, e->object)) continue;
    if (e->remove_pending) {
      const auto r = store_.Delete(kMigrations, e->ns, e->name);
      if (r.ok() || r.code == 404) removed.push_back(key);
    }
  }
  for (const auto& key : removed) entries_.erase(key);
}

const config::NodeConfig* Controller::NodeConf(const std::string& name) const {
  for (const auto& n : settings_.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

Snapshot Controller::SnapshotWithVmi(const VmiName& vmi) const {
  Snapshot snap = ports_.snapshot();
  NamingScheme naming;
  {
    std::lock_guard lock(mutex_);
    naming = settings_.naming;
  }
  if (FindVmi(snap, vmi, naming) || !ports_.request_sweep) return snap;
  // Not in the last sweeps: look once more before answering 404.
  std::map<std::string, uint64_t> before;
  for (const auto& n : snap.nodes) before[n.name] = n.sweeps;
  ports_.request_sweep();
  const auto deadline = std::chrono::steady_clock::now() + kFreshSweepWait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    snap = ports_.snapshot();
    if (std::all_of(snap.nodes.begin(), snap.nodes.end(),
                    [&](const NodeView& n) { return !n.up || n.sweeps > before[n.name]; })) {
      break;
    }
  }
  return snap;
}

Controller::Reply Controller::Create(const std::string& ns, nlohmann::json object, bool dry_run) {
  const std::string vmi = object["spec"]["vmiName"].get<std::string>();
  const std::string name = object["metadata"].value("name", "");
  {
    // The name first: a repeated create is a conflict, whatever its VMI's state.
    std::lock_guard lock(mutex_);
    if (!name.empty() && entries_.count({ns, name})) {
      return {409, {}, "AlreadyExists", "virtualmachineinstancemigrations.kubevirt.io \"" + name + "\" already exists"};
    }
  }
  const Snapshot snap = SnapshotWithVmi({ns, vmi});
  std::lock_guard lock(mutex_);
  const auto where = FindVmi(snap, {ns, vmi}, settings_.naming);
  if (auto why = Unreachable(snap, where, ns + "/" + vmi)) return {503, {}, "ServiceUnavailable", *why};
  if (!where) {
    return {404, {}, "NotFound", "virtualmachineinstances.kubevirt.io \"" + vmi + "\" not found"};
  }
  for (const auto& [key, e] : entries_) {
    if (e->ns == ns && e->vmi == vmi && !IsFinalPhase(e->Phase())) {
      return {422, {}, "Invalid", "VMI " + vmi + " has an active migration already: " + e->name};
    }
  }
  if (ActiveMigration(snap, where->node, where->domain.uuid)) {
    return {422, {}, "Invalid", "VMI " + vmi + " is being migrated already (started outside the API)"};
  }
  const auto selector = Selector(object);
  const bool any_target = std::any_of(settings_.nodes.begin(), settings_.nodes.end(), [&](const auto& n) {
    return n.name != where->node && sched::MatchesSelector(selector, n.labels);
  });
  if (!any_target) {
    return {422, {}, "Invalid",
            "no managed node other than the VMI's (" + where->node + ") matches spec.addedNodeSelector"};
  }
  const double now = WallSeconds();
  object["metadata"]["namespace"] = ns;
  object["status"] = nlohmann::json::object();
  SetPhase(object, "Pending", now);
  if (dry_run) return {201, object, "", ""};
  const auto r = store_.CreateWithGenerateName(kMigrations, std::move(object));
  if (!r.ok()) return {r.code, {}, r.reason, r.message};
  auto e = std::make_unique<Entry>();
  e->ns = ns;
  e->name = r.object["metadata"].value("name", "");
  e->object = r.object;
  e->seq = r.seq;
  e->vmi = vmi;
  e->priority = k8s::PriorityRank(r.object["spec"].value("priority", ""));
  e->selector = selector;
  e->created_at = now;
  entries_[{e->ns, e->name}] = std::move(e);
  dirty_ = true;
  wake_.notify_all();
  return {201, r.object, "", ""};
}

Controller::Reply Controller::Delete(const std::string& ns, const std::string& name,
                                     const k8s::DeleteOptions& options) {
  const Snapshot snap = ports_.snapshot();
  std::lock_guard lock(mutex_);
  auto it = entries_.find({ns, name});
  if (it == entries_.end() || it->second->remove_pending) {
    return {404, {}, "NotFound", "virtualmachineinstancemigrations.kubevirt.io \"" + name + "\" not found"};
  }
  Entry& e = *it->second;
  // Against the object as stored: its resourceVersion is the one clients saw.
  if (auto why = k8s::PreconditionFailure(options.preconditions, e.object)) return {409, {}, "Conflict", *why};
  const std::string phase = e.Phase();
  if (phase == "Pending" || IsFinalPhase(phase)) {
    if (options.dry_run) return {200, e.object, "", ""};
    const auto r = store_.Delete(kMigrations, ns, name);
    // Kept when the store still holds it: it stays queued and can be deleted again.
    if (r.ok() || r.code == 404) entries_.erase(it);
    if (!r.ok()) return {r.code, {}, r.reason, r.message};
    return {200, r.object, "", ""};
  }
  auto abort = [](nlohmann::json& obj) {
    SetState(obj, "abortRequested", true);
    SetState(obj, "abortStatus", "Aborting");
  };
  if (options.dry_run) {
    nlohmann::json would = e.object;
    abort(would);
    return {202, would, "", ""};
  }
  // Running (or about to): abort it; the object goes once the migration ended.
  e.abort_requested = true;
  Record(e, abort);
  if (!e.abort_submitted && ActiveMigration(snap, e.source, e.uuid)) {
    ports_.actions->Submit(e.source, {MigrationAction::Kind::kAbort, ActionReason::kUserRequest, e.uuid, 0,
                                      "abort requested by deleting migration " + ns + "/" + name});
    e.abort_submitted = true;
  }
  log::Info("migration abort requested", {{"namespace", ns}, {"name", name}, {"phase", phase}});
  dirty_ = true;
  wake_.notify_all();
  return {202, e.object, "", ""};
}

void Controller::Tick() {
  const double now = WallSeconds();
  RetryStoreWrites(now);
  std::vector<Entry*> tracked;
  bool pending = false;
  for (auto& [key, e] : entries_) {
    const std::string phase = e->Phase();
    pending = pending || phase == "Pending";
    if (phase != "Pending" && !IsFinalPhase(phase)) tracked.push_back(e.get());
  }
  // The snapshot copies every node's domain list: only when there is work.
  if (pending || !tracked.empty()) {
    const Snapshot snap = ports_.snapshot();
    for (Entry* e : tracked) Track(*e, snap, now);
    PlanPending(snap, now);
  }
  CollectGarbage(now);
}

void Controller::Track(Entry& e, const Snapshot& snap, double now) {
  if (const MigrationView* m = ActiveMigration(snap, e.source, e.uuid)) {
    e.seen_running = true;
    if (e.Phase() != "Running") {
      Record(e, [&](nlohmann::json& obj) {
        SetPhase(obj, "Running", now);
        if (!obj["status"]["migrationState"].contains("startTimestamp")) {
          SetState(obj, "startTimestamp", Rfc3339(now - m->last.elapsed_seconds.value_or(0)));
        }
        SetProgress(obj, *m);
      });
      e.progress_written_at = now;
    } else if (now - e.progress_written_at >= kProgressWriteSeconds) {
      Record(e, [&](nlohmann::json& obj) { SetProgress(obj, *m); });
      e.progress_written_at = now;
    }
    if (e.abort_requested && !e.abort_submitted) {
      ports_.actions->Submit(e.source, {MigrationAction::Kind::kAbort, ActionReason::kUserRequest, e.uuid, 0,
                                        "abort requested by deleting migration " + e.ns + "/" + e.name});
      e.abort_submitted = true;
    }
    return;
  }
  const auto outcome = e.uuid.empty() ? std::nullopt
                                      : ports_.recent_outcome(e.source, e.uuid, e.adopted ? started_at_ : e.launched_at);
  if (e.result) {
    if (e.result->ok) return FinishEntry(e, true, "", now);
    if (!outcome && e.seen_running && now - e.result_at < kOutcomeGraceSeconds) return;
    // The watcher's account says who aborted it; libvirt's only that it was.
    const bool by_monitor = outcome && outcome->reason.rfind("aborted by migration-monitor", 0) == 0;
    return FinishEntry(e, false, by_monitor ? outcome->reason : e.result->error, now);
  }
  if (e.launching) return;  // the migrate call is still being set up
  if (!e.adopted) return;
  if (outcome) return FinishEntry(e, outcome->succeeded, outcome->succeeded ? "" : outcome->reason, now);
  // Adopted from before a restart and not running: decide from where the VMI is.
  const auto where = FindVmi(snap, {e.ns, e.vmi}, settings_.naming);
  if (where && where->domain.running && !e.target.empty() && where->node == e.target) {
    return FinishEntry(e, true, "", now);
  }
  // Anything else needs the source's and target's inventories (not every node's).
  auto swept = [&](const std::string& node) {
    const NodeView* v = FindNodeView(snap, node);
    return v && v->up && v->sweeps > 0;
  };
  if (!e.source.empty() && !swept(e.source)) return;
  if (!e.target.empty() && !swept(e.target)) return;
  if (e.source.empty() && !InventoryComplete(snap)) return;
  const bool on_source = where && (e.source.empty() || where->node == e.source);
  if (on_source && !e.seen_running && !e.abort_requested) {
    // It never started: queue it again (the guest still runs once, on the source).
    log::Info("requeueing a migration that had not started before the restart",
              {{"namespace", e.ns}, {"name", e.name}});
    Record(e, [&](nlohmann::json& obj) {
      obj["status"].erase("migrationState");
      SetPhase(obj, "Pending", now);
    });
    e.adopted = false;
    return;
  }
  FinishEntry(e, false,
              where ? "the migration ended while migration-monitor was down; the VMI runs on " + where->node
                    : "the VMI runs on no managed node",
              now);
}

void Controller::FinishEntry(Entry& e, bool succeeded, const std::string& reason, double now) {
  if (!succeeded && !e.seen_running && e.result && !e.abort_requested) ++launch_failures_[e.source];
  Record(e, [&](nlohmann::json& obj) {
    Finish(obj, succeeded, reason, now);
    if (e.abort_requested) SetState(obj, "abortStatus", succeeded ? "Failed" : "Succeeded");
  });
  e.finished_at = now;
  log::Info("migration object finished", {{"namespace", e.ns}, {"name", e.name}, {"vmi", e.vmi},
                                          {"phase", e.Phase()}, {"source", e.source}, {"target", e.target},
                                          {"reason", reason}});
  if (e.abort_requested) {
    const auto r = store_.Delete(kMigrations, e.ns, e.name);
    if (!r.ok() && r.code != 404) {
      e.remove_pending = true;  // RetryStoreWrites removes it
      e.retry_at = now + kStoreRetrySeconds;
      return;
    }
    entries_.erase({e.ns, e.name});  // e is gone from here on
  }
}

void Controller::PlanPending(const Snapshot& snap, double now) {
  std::vector<sched::Candidate> candidates;
  std::map<std::string, VmiWhere> located;
  const bool complete = InventoryComplete(snap);
  for (auto& [key, e] : entries_) {
    if (e->Phase() != "Pending") continue;
    sched::Candidate c;
    c.key = e->ns + "/" + e->name;
    c.priority_rank = e->priority;
    c.sequence = e->seq;
    c.node_selector = e->selector;
    if (auto where = FindVmi(snap, {e->ns, e->vmi}, settings_.naming)) {
      c.vmi = sched::VmiLocation{where->node, where->domain.uuid, where->domain.memory_bytes};
      c.vmi_migrating = ActiveMigration(snap, where->node, where->domain.uuid) != nullptr;
      located[c.key] = *where;
    } else if (!complete) {
      Record(*e, [&](nlohmann::json& obj) {
        SetWaiting(obj, "VMIUnknown", "not every managed node has been listed yet", now);
      });
      continue;
    }
    candidates.push_back(std::move(c));
  }
  if (candidates.empty()) return;

  std::vector<sched::NodeRoom> rooms;
  for (const auto& conf : settings_.nodes) {
    sched::NodeRoom r;
    r.name = conf.name;
    r.labels = conf.labels;
    r.memory_reserve_bytes = conf.memory_reserve_bytes;
    if (const NodeView* v = FindNodeView(snap, conf.name)) {
      r.connected = v->up;
      r.available_memory_bytes = v->available_memory_bytes.value_or(0);
      r.outbound = static_cast<uint32_t>(v->outbound);
      r.inbound = static_cast<uint32_t>(v->inbound);
    }
    rooms.push_back(std::move(r));
  }
  uint32_t running = static_cast<uint32_t>(snap.migrations.size());
  for (auto& [key, e] : entries_) {
    // Ours that hold a slot but libvirt does not show yet.
    const std::string phase = e->Phase();
    if (phase == "Pending" || IsFinalPhase(phase) || ActiveMigration(snap, e->source, e->uuid)) continue;
    if (!e->launching && !e->adopted) continue;
    ++running;
    for (auto& r : rooms) {
      if (r.name == e->source) ++r.outbound;
      if (r.name == e->target) ++r.inbound;
    }
  }
  const auto& p = settings_.policy;
  const sched::Limits limits{p.parallel_migrations_per_cluster, p.parallel_outbound_migrations_per_node,
                             p.parallel_inbound_migrations_per_node};
  const sched::Plan plan = sched::PlanLaunches(std::move(candidates), std::move(rooms), running, limits);

  auto entry_of = [&](const std::string& key) -> Entry* {
    const auto slash = key.find('/');
    auto it = entries_.find({key.substr(0, slash), key.substr(slash + 1)});
    return it == entries_.end() ? nullptr : it->second.get();
  };
  for (const auto& w : plan.waits) {
    if (Entry* e = entry_of(w.key)) {
      Record(*e, [&](nlohmann::json& obj) { SetWaiting(obj, w.reason, w.message, now); });
    }
  }
  for (const auto& f : plan.failures) {
    if (Entry* e = entry_of(f.key)) FinishEntry(*e, false, f.message, now);
  }
  for (const auto& l : plan.launches) {
    if (Entry* e = entry_of(l.key)) Launch(*e, l, located.at(l.key), now);
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
  if (!Write(e, [&](nlohmann::json& obj) {
        ClearWaiting(obj);
        obj["metadata"]["annotations"][kUuidAnnotation] = e.uuid;
        SetPhase(obj, "Scheduling", now);
      })) {
    return;  // still Pending: the next tick tries again
  }
  const bool scheduled = Write(e, [&](nlohmann::json& obj) {
    SetPhase(obj, "Scheduled", now);
    SetState(obj, "sourceNode", e.source);
    SetState(obj, "targetNode", e.target);
    if (!target->migration_address.empty()) SetState(obj, "targetNodeAddress", target->migration_address);
    SetState(obj, "migrationUid", obj["metadata"].value("uid", ""));
    SetState(obj, "mode", "PreCopy");
    SetState(obj, "completed", false);
    SetState(obj, "failed", false);
  });
  if (!scheduled) {
    // Stuck in Scheduling without a launch: let the restart logic requeue it.
    e.adopted = true;
    return;
  }
  e.launching = true;
  log::Info("launching migration", {{"namespace", e.ns}, {"name", e.name}, {"vmi", e.vmi},
                                    {"source", e.source}, {"target", e.target}});
  const auto& p = settings_.policy;
  LaunchRequest req;
  req.source_uri = source->uri;
  req.uuid = e.uuid;
  req.target_peer_uri = config::PeerUri(*target);
  req.target_migration_address = target->migration_address;
  req.bandwidth_bytes_per_second = p.bandwidth_per_migration_bytes;
  req.tls = !p.disable_tls;
  req.auto_converge = p.allow_auto_converge;
  req.post_copy = p.allow_post_copy;
  req.unsafe = p.unsafe_migration_override;
  req.shared_storage_paths = p.shared_storage_paths;
  const std::pair<std::string, std::string> key{e.ns, e.name};
  ports_.launcher->Launch(
      std::move(req),
      [this, key](const LaunchPlan& plan) {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end() || it->second->abort_requested) return false;
        Entry& entry = *it->second;
        const double t = WallSeconds();
        // A phase that cannot be recorded must not happen: cancel the launch.
        return Write(entry, [&](nlohmann::json& obj) {
                 SetPhase(obj, "PreparingTarget", t);
                 SetState(obj, "migrationMethod", plan.block_migration ? "BlockMigration" : "LiveMigration");
               }) &&
               Write(entry, [&](nlohmann::json& obj) { SetPhase(obj, "TargetReady", t); });
      },
      [this, key](const LaunchResult& result) {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end()) return;
        it->second->launching = false;
        it->second->result = result;
        it->second->result_at = WallSeconds();
        dirty_ = true;
        wake_.notify_all();
      });
}

void Controller::CollectGarbage(double now) {
  std::map<std::pair<std::string, std::string>, std::vector<Entry*>> finished_by_vmi;
  for (auto& [key, e] : entries_) {
    if (IsFinalPhase(e->Phase()) && !e->remove_pending) finished_by_vmi[{e->ns, e->vmi}].push_back(e.get());
  }
  std::vector<std::pair<std::string, std::string>> doomed;
  for (auto& [vmi, list] : finished_by_vmi) {
    std::sort(list.begin(), list.end(), [](Entry* a, Entry* b) { return a->finished_at > b->finished_at; });
    for (size_t i = 0; i < list.size(); ++i) {
      if (i >= settings_.retention_per_vmi || now - list[i]->finished_at >= settings_.retention_ttl_seconds) {
        doomed.push_back({list[i]->ns, list[i]->name});
      }
    }
  }
  for (const auto& key : doomed) {
    // A removal that failed is tried again at the next tick (still doomed).
    const auto r = store_.Delete(kMigrations, key.first, key.second);
    if (r.ok() || r.code == 404) entries_.erase(key);
  }
}

Controller::Counts Controller::GetCounts() const {
  std::lock_guard lock(mutex_);
  Counts c;
  for (const char* phase : kPhases) c.by_phase[phase] = 0;
  for (const auto& [key, e] : entries_) {
    if (e->remove_pending) continue;  // gone as far as clients are concerned
    const std::string phase = e->Phase();
    ++c.by_phase[phase];
    if (phase == "Pending" && (!c.oldest_pending || e->created_at < *c.oldest_pending)) {
      c.oldest_pending = e->created_at;
    }
  }
  c.launch_failures = launch_failures_;
  for (const auto& n : settings_.nodes) c.launch_failures.try_emplace(n.name, 0);
  return c;
}

}  // namespace migmon::api
