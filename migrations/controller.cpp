// The Controller's lifetime, its answers to the API (create, delete, counts)
// and the loop thread. The tick's parts are in controller_tick.cpp, the
// store writes in controller_writes.cpp.
#include "migrations/controller.h"

#include <algorithm>

#include "api/k8s/resources.h"
#include "migrations/admission.h"
#include "migrations/object_status.h"
#include "util/log.h"

namespace migmon::migrations {
namespace {

constexpr auto kTickInterval = std::chrono::milliseconds(250);
constexpr size_t kLoadPageSize = 500;
// How long a create waits for the sweep it asked for (a bounded real wait, not a decision).
constexpr auto kFreshSweepWait = std::chrono::seconds(2);

std::string MigrationNotFound(const std::string& name) {
  return "virtualmachineinstancemigrations.kubevirt.io \"" + name + "\" not found";
}

// A store failure as the stage's error, in kube-apiserver's words where it has them.
Error StoreError(const store::Result& r, const std::string& name) {
  if (r.reason == "AlreadyExists") {
    return {ErrorCode::kAlreadyExists, "virtualmachineinstancemigrations.kubevirt.io \"" + name + "\" already exists"};
  }
  if (r.reason == "NotFound") return {ErrorCode::kNotFound, MigrationNotFound(name)};
  if (r.reason == "Conflict") return {ErrorCode::kConflict, r.message};
  if (r.reason == "BadRequest") return {ErrorCode::kBadRequest, r.message};
  return {ErrorCode::kStoreFailed, r.message};
}

}  // namespace

Controller::Controller(store::ObjectStore& store, LaunchPort& launcher, ActionPort& actions, const Clock& clock,
                       NodeReadings nodes, ControllerSettings settings)
    : store_(store),
      launcher_(launcher),
      actions_(actions),
      clock_(clock),
      nodes_(std::move(nodes)),
      settings_(std::move(settings)) {}

Controller::~Controller() { Stop(); }

bool Controller::Load(std::string& error) {
  std::lock_guard lock(mutex_);
  started_at_ = clock_.Now();
  // Page by page: the parsed trees of a page are transient, the index keeps texts.
  store::ListPage page;
  page.limit = kLoadPageSize;
  size_t loaded = 0;
  for (;;) {
    const auto list = store_.List(std::string(api::k8s::kMigrationPlural), std::nullopt, page);
    if (list.code != 200) {
      error = "cannot read the migration objects: " + list.message;
      return false;
    }
    for (const auto& item : list.items) index_.Put(EntryFromStored(item.object, item.seq, started_at_));
    loaded += list.items.size();
    if (!list.more) break;
    page.after = list.last;
  }
  if (loaded > 0) log::Info("migration objects loaded", {{"count", loaded}});
  return true;
}

bool Controller::Start(std::string& error) {
  if (!Load(error)) return false;
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
  Wake();
}

void Controller::Wake(bool replan) {
  dirty_ = true;
  if (replan) plan_due_ = true;
  wake_.notify_all();
}

void Controller::Run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, kTickInterval, [this] { return stop_ || dirty_; });
    if (stop_) break;
    dirty_ = false;
    lock.unlock();
    Tick();
    lock.lock();
  }
}

const config::NodeConfig* Controller::NodeConf(const std::string& name) const {
  for (const auto& n : settings_.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

Snapshot Controller::Readings() {
  Snapshot snap = nodes_.snapshot(false);
  if (!locator_.IsCurrent(snap, settings_.naming)) {
    Snapshot full = nodes_.snapshot(true);
    locator_.Rebuild(full, settings_.naming);
    for (auto& n : full.nodes) n.domains = {};  // indexed: the rest of the tick needs none
    snap = std::move(full);
  }
  return snap;
}

void Controller::AwaitFreshSweep(const Snapshot& before) const {
  std::map<std::string, uint64_t> swept;
  for (const auto& n : before.nodes) swept[n.name] = n.sweeps;
  nodes_.request_sweep();
  const auto deadline = std::chrono::steady_clock::now() + kFreshSweepWait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const Snapshot now = nodes_.snapshot(false);
    if (std::all_of(now.nodes.begin(), now.nodes.end(),
                    [&](const NodeView& n) { return !n.up || n.sweeps > swept[n.name]; })) {
      return;
    }
  }
}

Answer Controller::Create(const std::string& ns, nlohmann::json object, bool dry_run) {
  const std::string vmi = object["spec"]["vmiName"].get<std::string>();
  const std::string name = object["metadata"].value("name", "");
  const VmiName vmi_name{ns, vmi};
  std::unique_lock lock(mutex_);
  if (auto taken = CheckName(index_, ns, name)) return {std::move(taken), {}};
  Snapshot snap = Readings();
  if (!locator_.Find(vmi_name) && nodes_.request_sweep) {
    // Not in the last sweeps: look once more before answering 404.
    lock.unlock();
    AwaitFreshSweep(snap);
    lock.lock();
    // The name may have been taken meanwhile: CheckName again below.
    if (auto taken = CheckName(index_, ns, name)) return {std::move(taken), {}};
    snap = Readings();
  }
  const AdmissionRequest request{ns, vmi, SelectorOf(object)};
  if (auto refused = CheckAdmission(request, snap, locator_.Find(vmi_name), index_, settings_.nodes)) {
    return {std::move(refused), {}};
  }
  const double now = clock_.Now();
  object["metadata"]["namespace"] = ns;
  object["status"] = nlohmann::json::object();
  SetPhase(object, Phase::kPending, now);
  if (dry_run) return {std::nullopt, object};
  const auto r = store_.CreateWithGenerateName(std::string(api::k8s::kMigrationPlural), std::move(object));
  if (!r.ok()) return {StoreError(r, name), {}};
  auto e = EntryFromStored(r.object, r.seq, now);
  e->created_at = now;
  arrived_.insert({e->ns, e->name});
  index_.Put(std::move(e));
  Wake(false);
  return {std::nullopt, r.object};
}

Answer Controller::Delete(const std::string& ns, const std::string& name, const api::k8s::DeleteOptions& options) {
  std::lock_guard lock(mutex_);
  Entry* e = index_.Find({ns, name});
  if (!e || e->remove_pending) return {Error{ErrorCode::kNotFound, MigrationNotFound(name)}, {}};
  // Against the object as stored: its resourceVersion is the one clients saw.
  const nlohmann::json stored = e->object.Json();
  if (auto why = api::k8s::PreconditionFailure(options.preconditions, stored)) {
    return {Error{ErrorCode::kConflict, *why}, {}};
  }
  if (!IsInFlight(e->phase)) {
    if (options.dry_run) return {std::nullopt, stored};
    const auto r = store_.Delete(std::string(api::k8s::kMigrationPlural), ns, name);
    // Kept when the store still holds it: it stays queued and can be deleted again.
    if (!r.ok() && r.code != 404) return {StoreError(r, name), {}};
    index_.Erase({ns, name});
    if (!r.ok()) return {StoreError(r, name), {}};
    return {std::nullopt, r.object};
  }
  const Change abort = AbortRequestedChange();
  if (options.dry_run) {
    nlohmann::json would = stored;
    abort.edit(would);
    return {std::nullopt, would, true};
  }
  // Running (or about to): abort it; the object goes once the migration
  // ended. The tick this wakes submits the abort if libvirt shows the job
  // (transition.h: the one place that decides it); a launch not yet made is
  // cancelled by the launch's own check.
  e->abort_requested = true;
  Record(*e, abort, clock_.Now());
  log::Info("migration abort requested", {{"namespace", ns}, {"name", name}, {"phase", PhaseName(e->phase)}});
  Wake();
  return {std::nullopt, e->object.Json(), true};
}

Controller::Counts Controller::GetCounts() const {
  std::lock_guard lock(mutex_);
  Counts c;
  for (const Phase p : kAllPhases) c.by_phase[PhaseName(p)] = 0;
  c.by_phase[PhaseName(Phase::kPending)] = index_.In(Stage::kQueued).size();
  for (const Key& key : index_.In(Stage::kQueued)) {
    const Entry* e = index_.Find(key);
    if (!c.oldest_pending || e->created_at < *c.oldest_pending) c.oldest_pending = e->created_at;
  }
  for (const Stage stage : {Stage::kInFlight, Stage::kFinished}) {
    for (const Key& key : index_.In(stage)) {
      const Entry* e = index_.Find(key);
      if (!e->remove_pending) ++c.by_phase[PhaseName(e->phase)];  // a pending removal is gone for clients
    }
  }
  c.launch_failures = launch_failures_;
  for (const auto& n : settings_.nodes) c.launch_failures.try_emplace(n.name, 0);
  return c;
}

}  // namespace migmon::migrations
