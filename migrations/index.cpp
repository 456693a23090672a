#include "migrations/index.h"

#include "api/k8s/table.h"
#include "api/k8s/vmim.h"
#include "migrations/object_status.h"

namespace migmon::migrations {

std::map<std::string, std::string> SelectorOf(const nlohmann::json& obj) {
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

std::unique_ptr<Entry> EntryFromStored(const nlohmann::json& object, uint64_t seq, double now) {
  auto e = std::make_unique<Entry>();
  const auto& meta = object["metadata"];
  e->ns = meta.value("namespace", "");
  e->name = meta.value("name", "");
  e->object = object;
  e->phase = PhaseOf(object);
  e->seq = seq;
  e->vmi = object["spec"].value("vmiName", "");
  e->priority = api::k8s::PriorityRank(object["spec"].value("priority", ""));
  e->selector = SelectorOf(object);
  const auto created = api::k8s::ParseTimestamp(meta.value("creationTimestamp", ""));
  e->created_at = created ? std::chrono::duration<double>(created->time_since_epoch()).count() : now;
  if (IsFinal(e->phase)) {
    e->finished_at = now;  // retention counts from this start at the latest
  } else if (e->phase != Phase::kPending) {
    const auto state = object["status"].value("migrationState", nlohmann::json::object());
    e->source = state.value("sourceNode", "");
    e->target = state.value("targetNode", "");
    e->uuid = meta.value("annotations", nlohmann::json::object()).value(kUuidAnnotation, "");
    e->adopted = true;
    e->abort_requested = state.value("abortRequested", false);
    e->seen_running = e->phase == Phase::kRunning;
  }
  return e;
}

Stage StageOf(Phase phase) {
  if (IsFinal(phase)) return Stage::kFinished;
  return IsInFlight(phase) ? Stage::kInFlight : Stage::kQueued;
}

Entry* Index::Find(const Key& key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.get();
}

Entry& Index::Put(std::unique_ptr<Entry> entry) {
  auto& slot = entries_[{entry->ns, entry->name}];
  if (slot) Unlink(*slot);
  by_vmi_.emplace(std::make_pair(entry->ns, entry->vmi), entry->name);
  StageSet(entry->phase).insert({entry->ns, entry->name});
  slot = std::move(entry);
  return *slot;
}

void Index::Erase(const Key& key) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Unlink(*it->second);
  entries_.erase(it);
}

void Index::SetPhase(Entry& e, Phase phase) {
  if (StageOf(phase) != StageOf(e.phase)) {
    StageSet(e.phase).erase({e.ns, e.name});
    StageSet(phase).insert({e.ns, e.name});
  }
  e.phase = phase;
}

void Index::Unlink(const Entry& e) {
  StageSet(e.phase).erase({e.ns, e.name});
  auto [first, last] = by_vmi_.equal_range({e.ns, e.vmi});
  for (auto it = first; it != last; ++it) {
    if (it->second == e.name) {
      by_vmi_.erase(it);
      return;
    }
  }
}

const Entry* Index::ActiveFor(const std::string& ns, const std::string& vmi) const {
  auto [first, last] = by_vmi_.equal_range({ns, vmi});
  for (auto it = first; it != last; ++it) {
    const Entry* e = Find({ns, it->second});
    if (e && !IsFinal(e->phase)) return e;
  }
  return nullptr;
}

}  // namespace migmon::migrations
