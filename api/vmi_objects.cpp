#include "api/vmi_objects.h"

#include <map>
#include <tuple>
#include <unordered_map>

#include "api/k8s/resources.h"
#include "migrations/entry.h"
#include "migrations/nodes.h"
#include "samples/migration_method.h"
#include "util/time_format.h"

namespace migmon::api {
namespace {

struct Found {
  const NodeView* node;
  const DomainSummary* domain;
};
using VmiKey = std::pair<std::string, std::string>;  // (namespace, name)

// Where each VMI runs: the running copy wins over a migration target's paused one.
void Prefer(Found& held, const Found& other) {
  if (other.domain->running && !held.domain->running) held = other;
}

std::map<VmiKey, Found> Locate(const Snapshot& s, NamingScheme naming, const std::optional<std::string>& name_space) {
  std::map<VmiKey, Found> vmis;
  for (const auto& n : s.nodes) {
    for (const auto& d : n.domains) {
      VmiName vmi = MapDomainName(d.name, naming);
      if (name_space && vmi.name_space != *name_space) continue;
      auto [it, inserted] = vmis.try_emplace({std::move(vmi.name_space), std::move(vmi.name)}, Found{&n, &d});
      if (!inserted) Prefer(it->second, Found{&n, &d});
    }
  }
  return vmis;
}

// The one VMI a GET names: a walk of the domains, no map of every VMI.
std::optional<Found> LocateOne(const Snapshot& s, NamingScheme naming, const VmiKey& key) {
  std::optional<Found> found;
  for (const auto& n : s.nodes) {
    for (const auto& d : n.domains) {
      const VmiName vmi = MapDomainName(d.name, naming);
      if (vmi.name_space != key.first || vmi.name != key.second) continue;
      if (!found) found = Found{&n, &d};
      else Prefer(*found, Found{&n, &d});
    }
  }
  return found;
}

// The migration each source domain is in, by its UUID: one lookup a VMI, not a walk of every migration.
std::unordered_map<std::string, const MigrationView*> MigrationsBySource(const Snapshot& s) {
  std::unordered_map<std::string, const MigrationView*> by_uuid;
  for (const auto& m : s.migrations) by_uuid[m.source.uuid] = &m;
  return by_uuid;
}

nlohmann::json Build(const VmiKey& key, const Found& f, const MigrationView* migration) {
  nlohmann::json vmi = {
      {"apiVersion", std::string(api::k8s::kGroupVersion)},
      {"kind", "VirtualMachineInstance"},
      {"metadata", {{"name", key.second}, {"namespace", key.first}, {"uid", f.domain->uuid},
                    {"annotations", {{migrations::kDomainAnnotation, f.domain->name}}}}},
      {"spec", {{"domain", {{"memory", {{"guest", std::to_string(f.domain->memory_bytes >> 20) + "Mi"}}}}}}},
      {"status", {{"phase", "Running"}, {"nodeName", f.node->name},
                  {"conditions", {{{"type", "Ready"}, {"status", f.domain->running ? "True" : "False"},
                                   {"reason", f.domain->state}}}}}},
  };
  if (migration) {
    const MigrationView& m = *migration;
    nlohmann::json state = {{"sourceNode", m.source.node},
                            {"mode", ModeName(m.mode)},
                            {"migrationMethod", MigrationMethodName(m.block_migration)},
                            {"completed", false},
                            {"startTimestamp", Rfc3339(m.started_at)}};
    if (!m.target_node.empty()) state["targetNode"] = m.target_node;
    vmi["status"]["migrationState"] = std::move(state);
  }
  return vmi;
}

const MigrationView* MigrationOf(const std::unordered_map<std::string, const MigrationView*>& by_uuid,
                                 const Found& f) {
  const auto it = by_uuid.find(f.domain->uuid);
  return it == by_uuid.end() ? nullptr : it->second;
}

}  // namespace

std::vector<VmiText> VmiTexts(const Snapshot& s, NamingScheme naming, const std::optional<std::string>& name_space,
                              const VmiFilter& keep) {
  const auto by_uuid = MigrationsBySource(s);
  std::vector<VmiText> out;
  for (const auto& [key, f] : Locate(s, naming, name_space)) {
    const nlohmann::json vmi = Build(key, f, MigrationOf(by_uuid, f));
    if (keep && !keep(vmi)) continue;
    out.push_back({key.first, key.second, vmi.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  }
  return out;
}

void DiffVmis(const std::vector<VmiText>& before, const std::vector<VmiText>& after,
              const std::function<void(VmiChange, const VmiText&)>& emit) {
  auto key = [](const VmiText& v) { return std::tie(v.name_space, v.name); };
  auto was = before.begin();
  for (const auto& vmi : after) {
    for (; was != before.end() && key(*was) < key(vmi); ++was) emit(VmiChange::kDeleted, *was);
    if (was == before.end() || key(vmi) < key(*was)) {
      emit(VmiChange::kAdded, vmi);
      continue;
    }
    if (was->text != vmi.text) emit(VmiChange::kModified, vmi);
    ++was;
  }
  for (; was != before.end(); ++was) emit(VmiChange::kDeleted, *was);
}

std::optional<nlohmann::json> VmiObject(const Snapshot& s, NamingScheme naming, const std::string& name_space,
                                        const std::string& name) {
  const VmiKey key{name_space, name};
  const auto found = LocateOne(s, naming, key);
  if (!found) return std::nullopt;
  return Build(key, *found, MigrationOf(MigrationsBySource(s), *found));
}

}  // namespace migmon::api
