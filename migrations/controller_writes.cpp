// How the Controller writes: a step's records and bookkeeping, write-ahead
// steps, facts recorded now and stored now or later, removals, and the
// retries of what failed (the rules at the top of controller.h).
#include "api/k8s/resources.h"
#include "migrations/controller.h"
#include "migrations/object_status.h"
#include "util/log.h"

namespace migmon::migrations {
namespace {

// How often an object whose write failed (a full disk) is written again.
constexpr double kStoreRetrySeconds = 1.0;

std::string Plural() { return std::string(api::k8s::kMigrationPlural); }

}  // namespace

void Controller::Apply(Entry& e, const Step& step, double now) {
  if (step.seen_running) e.seen_running = true;
  for (const auto& change : step.records) Record(e, change, now);
  index_.SetPhase(e, step.next);
  if (step.progress_written) e.progress_written_at = now;
  for (const auto& a : step.actions) actions_.Submit(a.node, a.action);
  if (step.abort_submitted) e.abort_submitted = true;
  if (step.requeued || step.finished) plan_due_ = true;  // the queue or a slot changed
  if (step.requeued) {
    log::Info("requeueing a migration that had not started before the restart",
              {{"namespace", e.ns}, {"name", e.name}});
    e.adopted = false;
  }
  if (!step.finished) return;
  if (step.launch_failure) ++launch_failures_[e.source];
  e.finished_at = now;
  log::Info("migration object finished", {{"namespace", e.ns}, {"name", e.name}, {"vmi", e.vmi},
                                          {"phase", PhaseName(e.phase)}, {"source", e.source},
                                          {"target", e.target}, {"reason", step.reason}});
  if (step.remove) Remove(e, now);  // e may be gone from here on
}

bool Controller::Store(Entry& e, const nlohmann::json& next) {
  // The index is the authority on its objects (only this class writes them):
  // the whole object goes, so an unsaved earlier fact goes with this one.
  const auto r = store_.Update(Plural(), e.ns, e.name, [&](nlohmann::json& obj) {
    obj = next;
    return true;
  });
  if (!r.ok()) {
    if (!e.write_failing) {
      log::Error("cannot update migration object; will write it again",
                 {{"namespace", e.ns}, {"name", e.name}, {"phase", PhaseName(PhaseOf(next))}, {"error", r.message}});
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

bool Controller::Write(Entry& e, const Change& change) {
  nlohmann::json next = e.object.Json();
  change.edit(next);
  if (!Store(e, next)) return false;
  if (change.phase) index_.SetPhase(e, *change.phase);
  return true;
}

void Controller::Record(Entry& e, const Change& change, double now) {
  const nlohmann::json current = e.object.Json();
  nlohmann::json next = current;
  change.edit(next);
  if (change.phase) index_.SetPhase(e, *change.phase);
  // Nothing new: nothing to write now (an unsaved object is RetryStoreWrites' to write).
  if (next == current) return;
  e.unsaved = true;
  // Stored, e.object is the store's answer; not stored, it is what is to be written.
  if (!Store(e, next)) {
    e.object = next;
    e.retry_at = now + kStoreRetrySeconds;
    retries_.insert({e.ns, e.name});
  }
}

void Controller::Remove(Entry& e, double now) {
  const auto r = store_.Delete(Plural(), e.ns, e.name);
  if (!r.ok() && r.code != 404) {
    log::Error("cannot remove migration object; will try again",
               {{"namespace", e.ns}, {"name", e.name}, {"error", r.message}});
    e.remove_pending = true;  // RetryStoreWrites removes it
    e.retry_at = now + kStoreRetrySeconds;
    retries_.insert({e.ns, e.name});
    return;
  }
  index_.Erase({e.ns, e.name});
}

void Controller::RetryStoreWrites(double now) {
  std::vector<Key> done;
  for (const Key& key : retries_) {
    Entry* e = index_.Find(key);
    if (!e || !(e->unsaved || e->remove_pending)) {
      done.push_back(key);  // written (or gone) since
      continue;
    }
    if (now < e->retry_at) continue;
    e->retry_at = now + kStoreRetrySeconds;
    if (e->unsaved && !Store(*e, e->object.Json())) continue;
    if (e->remove_pending) {
      const auto r = store_.Delete(Plural(), e->ns, e->name);
      if (!r.ok() && r.code != 404) continue;
      index_.Erase(key);
    }
    done.push_back(key);
  }
  for (const auto& key : done) retries_.erase(key);
}

}  // namespace migmon::migrations
